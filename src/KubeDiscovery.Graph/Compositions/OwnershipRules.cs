using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Compositions;

/// <summary>
/// Kubernetes' own rules for which owner references count (the garbage collector treats the rest as
/// absent): a cluster-scoped owner may own anything; a namespaced owner only objects of its namespace.
/// </summary>
public static class OwnershipRules
{
    public static bool IsValidDependent(ObjectRecord owner, ObjectRecord dependent) =>
        owner.Namespace is null || owner.Namespace == dependent.Namespace;
}
