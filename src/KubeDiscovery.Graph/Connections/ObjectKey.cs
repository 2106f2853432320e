using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Connections;

/// <summary>
/// The identity a reference names: group, kind, namespace ("" when cluster-scoped) and name. Kept in
/// the index as one interned string, <c>group/Kind/namespace/name</c>, because a reference names a
/// kind, not a resource, and the target may not exist. Object names never contain '/', so it parses back.
/// </summary>
public readonly record struct ObjectKey(string Group, string Kind, string Namespace, string Name)
{
    public static ObjectKey Of(ObjectRecord record) => new(record.Type.Group, record.Kind, record.Namespace ?? "", record.Name);

    public static string Format(string group, string kind, string @namespace, string name) =>
        $"{group}/{kind}/{@namespace}/{name}";

    public override string ToString() => Format(Group, Kind, Namespace, Name);

    public static ObjectKey Parse(string key)
    {
        var a = key.IndexOf('/', StringComparison.Ordinal);
        var b = key.IndexOf('/', a + 1);
        var c = key.IndexOf('/', b + 1);
        if (a < 0 || b < 0 || c < 0) throw new FormatException($"not an object key: {key}");
        return new ObjectKey(key[..a], key[(a + 1)..b], key[(b + 1)..c], key[(c + 1)..]);
    }

    /// <summary>The name users read, <c>Kind[.group]/[namespace/]name</c>: the node id of a connections answer.</summary>
    public string DisplayName =>
        (Group.Length == 0 ? Kind : $"{Kind}.{Group}") + "/" + (Namespace.Length == 0 ? "" : Namespace + "/") + Name;
}
