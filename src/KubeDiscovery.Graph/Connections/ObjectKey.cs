using System.Collections.Concurrent;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Connections;

/// <summary>
/// The identity a reference names: group, kind, namespace ("" when cluster-scoped) and name. Kept in
/// the index as one interned string, because a reference names a kind, not a resource, and the target
/// may not exist. The string starts with one character standing for (group, kind) — "ServiceAccount"
/// written out in each of a million keys would cost more than the rest of the key — then
/// <c>namespace/name</c>. Object names never contain '/', so it parses back.
/// </summary>
public readonly record struct ObjectKey(string Group, string Kind, string Namespace, string Name)
{
    // (group, kind) ↔ its character, from the private use area: codes are handed out as kinds are met
    // and never change, so keys made at any time agree. Bounded by the kinds a process ever sees.
    private static readonly ConcurrentDictionary<(string Group, string Kind), char> Codes = new();
    private static readonly ConcurrentDictionary<char, (string Group, string Kind)> Kinds = new();
    private static readonly Lock NewCode = new();

    public static ObjectKey Of(ObjectRecord record) => new(record.Type.Group, record.Kind, record.Namespace ?? "", record.Name);

    public static string Format(string group, string kind, string @namespace, string name) =>
        string.Concat([CodeOf(group, kind)], @namespace, "/", name);

    /// <summary>The character standing for (group, kind) at the start of every key of that kind.</summary>
    public static char CodeOf(string group, string kind)
    {
        if (Codes.TryGetValue((group, kind), out var code)) return code;
        lock (NewCode)
        {
            if (Codes.TryGetValue((group, kind), out code)) return code;
            code = (char)(0xE000 + Codes.Count);
            if (code > 0xF8FF) throw new InvalidOperationException("more kinds than object keys can name");
            Kinds[code] = (group, kind);
            Codes[(group, kind)] = code;
            return code;
        }
    }

    public override string ToString() => Format(Group, Kind, Namespace, Name);

    /// <summary>The (group, kind) a key's first character stands for.</summary>
    public static bool TryKindOf(char code, out string group, out string kind)
    {
        var found = Kinds.TryGetValue(code, out var k);
        (group, kind) = k;
        return found;
    }

    /// <summary>Writes the key of (group, kind, namespace, name) into <paramref name="into"/>; its length, or -1 when it does not fit.</summary>
    public static int Write(Span<char> into, string group, string kind, string @namespace, string name)
    {
        var length = @namespace.Length + name.Length + 2;
        if (length > into.Length) return -1;
        into[0] = CodeOf(group, kind);
        @namespace.CopyTo(into[1..]);
        into[1 + @namespace.Length] = '/';
        name.CopyTo(into[(2 + @namespace.Length)..]);
        return length;
    }

    public static ObjectKey Parse(string key)
    {
        var slash = key.IndexOf('/', 1);
        if (key.Length < 2 || slash < 0 || !Kinds.TryGetValue(key[0], out var kind)) throw new FormatException($"not an object key: {key}");
        return new ObjectKey(kind.Group, kind.Kind, key[1..slash], key[(slash + 1)..]);
    }

    /// <summary>The name users read, <c>Kind[.group]/[namespace/]name</c>: the node id of a connections answer.</summary>
    public string DisplayName =>
        (Group.Length == 0 ? Kind : $"{Kind}.{Group}") + "/" + (Namespace.Length == 0 ? "" : Namespace + "/") + Name;
}
