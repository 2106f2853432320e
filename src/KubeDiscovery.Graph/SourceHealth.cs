using System.Collections.Concurrent;

namespace KubeDiscovery.Graph;

/// <summary>
/// How each part of a source is doing (one entry per reflector, plus discovery), for
/// <c>/readyz?verbose</c>. Parts report themselves; the server only reads.
/// </summary>
public sealed class SourceHealth
{
    private readonly ConcurrentDictionary<string, SourceCheck> _checks = new(StringComparer.Ordinal);

    public void Report(string name, bool healthy, string detail) => _checks[name] = new SourceCheck(name, healthy, detail);

    public void Remove(string name) => _checks.TryRemove(name, out _);

    /// <summary>Every check, by name.</summary>
    public IReadOnlyList<SourceCheck> Checks => _checks.Values.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
}

/// <summary>One part of a source: healthy, or degraded with what went wrong.</summary>
public sealed record SourceCheck(string Name, bool Healthy, string Detail);
