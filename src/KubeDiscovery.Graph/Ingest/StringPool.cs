using System.Collections.Concurrent;

namespace KubeDiscovery.Graph.Ingest;

/// <summary>
/// Interns the values that repeat across objects (namespaces, api versions, kinds, label keys and
/// values, reasons, reference keys) so a million records share one copy of each. Unlike
/// <see cref="string.Intern"/> the pool belongs to its index and is collected with it.
/// </summary>
public sealed class StringPool
{
    // A set, not a map: the span lookup hands back the stored key itself, so no value slot is needed
    // (8 bytes less for each of hundreds of thousands of entries).
    private readonly ConcurrentDictionary<string, byte> _values = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public StringPool() => _bySpan = _values.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Count => _values.Count;

    public string Intern(string value) => Intern(value.AsSpan(), value);

    /// <summary>Interns without allocating when the value is already pooled.</summary>
    public string Intern(ReadOnlySpan<char> value) => Intern(value, null);

    private string Intern(ReadOnlySpan<char> value, string? asString)
    {
        while (true)
        {
            if (_bySpan.TryGetValue(value, out var pooled, out _)) return pooled;
            var s = asString ?? value.ToString();
            if (_values.TryAdd(s, 0)) return s;
            // Another thread added it first: take theirs.
        }
    }
}
