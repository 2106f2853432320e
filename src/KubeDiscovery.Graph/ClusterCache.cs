using KubeDiscovery.Graph.Connections.Rules;
using KubeDiscovery.Graph.Index;
using KubeDiscovery.Graph.Ingest;
using KubeDiscovery.Graph.Resources;

namespace KubeDiscovery.Graph;

/// <summary>
/// What a cluster source maintains and the server reads: the object index, the resource catalog and
/// whether the first full sync has completed. The server does not know which source fills it.
/// </summary>
public sealed class ClusterCache
{
    private ResourceCatalog _catalog = ResourceCatalog.Empty;
    private volatile bool _synced;

    public ClusterCache()
    {
        Relations = new RelationRegistry(Index, () => Catalog);
        Reader = new ObjectRecordReader(new StringPool()) { Relations = Relations };
    }

    public ClusterIndex Index { get; } = new();

    /// <summary>Shared by every reader of objects into <see cref="Index"/>.</summary>
    public ObjectRecordReader Reader { get; }

    /// <summary>The relation rules in force (built-in, file, ConfigMaps, CRD annotations).</summary>
    public RelationRegistry Relations { get; }

    public ResourceCatalog Catalog
    {
        get => Volatile.Read(ref _catalog);
        set
        {
            Volatile.Write(ref _catalog, value);
            Relations.Refresh(); // a rule's kind may have appeared or gone
        }
    }

    /// <summary>What the source reports about its parts (reflectors, discovery).</summary>
    public SourceHealth Health { get; } = new();

    /// <summary>True once every source has delivered its first complete view of the cluster.</summary>
    public bool HasSynced => _synced;

    public void MarkSynced() => _synced = true;
}
