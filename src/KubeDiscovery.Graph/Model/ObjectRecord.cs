namespace KubeDiscovery.Graph.Model;

/// <summary>
/// The compact, immutable record the index keeps for one cluster object: identity, creation time,
/// owner references, labels, a status summary and its links (the names and selectors its spec points
/// at, shared between objects that make the same). Nothing else of the object (the rest of spec,
/// annotations, a Secret's data) is kept, so nothing else can leak or cost memory.
/// </summary>
public sealed class ObjectRecord
{
    public ObjectRecord(
        ResourceType type,
        string apiVersion,
        string? @namespace,
        string name,
        string uid,
        DateTimeOffset? creationTimestamp,
        IReadOnlyList<OwnerReference> owners,
        IReadOnlyList<KeyValuePair<string, string>> labels,
        ObjectStatus status,
        Connections.ObjectLinks? links = null,
        Applications.AppMarks? marks = null)
    {
        Type = type;
        // The object's apiVersion is nearly always its type's: then only the links take the slot.
        var ownVersion = ReferenceEquals(apiVersion, type.GroupVersion) || apiVersion == type.GroupVersion ? null : apiVersion;
        _extra = (ownVersion, links, marks) switch
        {
            (null, null, null) => null,
            (null, { } l, null) => l,
            ({ } v, null, null) => v,
            _ => new Extras(ownVersion, links, marks),
        };
        Namespace = string.IsNullOrEmpty(@namespace) ? null : @namespace;
        Name = name;
        Uid = uid;
        _created = creationTimestamp?.UtcTicks ?? 0;
        Owners = owners;
        Labels = labels;
        Status = status;
    }

    public ResourceType Type { get; }
    /// <summary>The object's own <c>apiVersion</c>, which may differ from the type's preferred version.</summary>
    public string ApiVersion => _extra switch
    {
        string version => version,
        Extras { ApiVersion: { } version } => version,
        _ => Type.GroupVersion,
    };

    // One slot for three rarely-together things: an apiVersion other than the type's (a string), the links
    // (ObjectLinks), a deployment tool's marks (unowned objects only), or several of them. 8 bytes a
    // record where three fields took 24, times every object.
    private readonly object? _extra;

    private sealed record Extras(string? ApiVersion, Connections.ObjectLinks? Links, Applications.AppMarks? Marks);
    public string Kind => Type.Kind;
    /// <summary>Null for cluster-scoped objects.</summary>
    public string? Namespace { get; }
    public string Name { get; }
    public string Uid { get; }
    public DateTimeOffset? CreationTimestamp => _created == 0 ? null : new DateTimeOffset(_created, TimeSpan.Zero);
    public IReadOnlyList<OwnerReference> Owners { get; private set; }
    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; private set; }

    // UTC ticks, 0 for none: 8 bytes where a DateTimeOffset? takes 24, times every object.
    private readonly long _created;

    /// <summary>
    /// Points this record at equal arrays another record already holds. Only the index calls it, under
    /// its write lock and before the record is visible to readers, so the record still never changes
    /// once seen.
    /// </summary>
    internal void ShareArrays(IReadOnlyList<OwnerReference> owners, IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        Owners = owners;
        Labels = labels;
    }
    public ObjectStatus Status { get; }

    /// <summary>What the object's spec references and selects (see <c>BuiltInRelations</c>); null when nothing.</summary>
    public Connections.ObjectLinks? Links => _extra switch
    {
        Connections.ObjectLinks links => links,
        Extras both => both.Links,
        _ => null,
    };

    /// <summary>
    /// What a deployment tool wrote in the annotations of an object nothing owns (Argo CD's tracking id,
    /// Helm's release); null for nearly every object. Labels need no copy: they are kept already.
    /// </summary>
    public Applications.AppMarks? Marks => (_extra as Extras)?.Marks;

    public override string ToString() =>
        Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";
}
