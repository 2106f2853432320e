using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Tests;

/// <summary>Hand-made records for the shapes real clusters rarely show (cycles, cross-namespace owners).</summary>
internal static class Objects
{
    public static readonly ResourceType ConfigMaps = new() { Group = "", Version = "v1", Kind = "ConfigMap", Plural = "configmaps", Namespaced = true };
    public static readonly ResourceType Widgets = new() { Group = "example.com", Version = "v1", Kind = "Widget", Plural = "widgets", Namespaced = true };
    public static readonly ResourceType Tenants = new() { Group = "example.com", Version = "v1", Kind = "Tenant", Plural = "tenants", Namespaced = false };

    public static ObjectRecord Make(ResourceType type, string name, string? ns = "default", string? uid = null, params ObjectRecord[] owners) =>
        new(type, type.GroupVersion, type.Namespaced ? ns : null, name, uid ?? $"uid-{type.Kind}-{ns}-{name}",
            DateTimeOffset.Parse("2026-11-20T00:00:00Z"),
            owners.Select(o => new OwnerReference(o.ApiVersion, o.Kind, o.Name, o.Uid, Controller: true)).ToArray(),
            [], ObjectStatus.None);

    public static ObjectRecord OwnedByUid(ResourceType type, string name, string ownerUid, string ns = "default") =>
        new(type, type.GroupVersion, ns, name, $"uid-{type.Kind}-{ns}-{name}", null,
            [new OwnerReference("apps/v1", "ReplicaSet", "gone", ownerUid, Controller: true)], [], ObjectStatus.None);
}
