using System.Collections.Concurrent;

namespace KubeDiscovery.Graph.Ingest;

/// <summary>
/// Interns the values that repeat across objects (namespaces, api versions, kinds, label keys and
/// values, reasons) so a million records share one copy of each. Unlike <see cref="string.Intern"/>
/// the pool belongs to its index and is collected with it.
/// </summary>
public sealed class StringPool
{
    private readonly ConcurrentDictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public StringPool() => _bySpan = _values.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Count => _values.Count;

    public string Intern(string value) => _values.GetOrAdd(value, value);

    /// <summary>Interns without allocating when the value is already pooled.</summary>
    public string Intern(ReadOnlySpan<char> value)
    {
        if (_bySpan.TryGetValue(value, out var pooled)) return pooled;
        var s = value.ToString();
        return _values.GetOrAdd(s, s);
    }
}
