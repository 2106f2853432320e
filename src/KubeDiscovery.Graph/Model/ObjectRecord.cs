namespace KubeDiscovery.Graph.Model;

/// <summary>
/// The compact, immutable record the index keeps for one cluster object: identity, creation time,
/// owner references, labels and a status summary. Nothing else of the object (spec, annotations,
/// a Secret's data) is kept, so nothing else can leak or cost memory.
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
        ObjectStatus status)
    {
        Type = type;
        ApiVersion = apiVersion;
        Namespace = string.IsNullOrEmpty(@namespace) ? null : @namespace;
        Name = name;
        Uid = uid;
        CreationTimestamp = creationTimestamp;
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
    public DateTimeOffset? CreationTimestamp { get; }
    public IReadOnlyList<OwnerReference> Owners { get; }
    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; }
    public ObjectStatus Status { get; }

    public override string ToString() =>
        Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";
}
