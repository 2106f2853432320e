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
        Connections.ObjectLinks? links = null)
    {
        Links = links;
        Type = type;
        ApiVersion = apiVersion;
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
    public string ApiVersion { get; }
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
    public Connections.ObjectLinks? Links { get; }

    public override string ToString() =>
        Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";
}
