using System.Text.Json.Serialization;

namespace KubeDiscovery.Api;

/// <summary>The discovery documents kube-apiserver and kubectl read, in their wire shape.</summary>
internal static class DiscoveryModels
{
    public sealed record GroupVersionForDiscovery(string GroupVersion, string Version);

    public sealed record ApiGroup(string Name, IReadOnlyList<GroupVersionForDiscovery> Versions, GroupVersionForDiscovery PreferredVersion)
    {
        [JsonPropertyOrder(-2)]
        public string Kind { get; } = "APIGroup";
        [JsonPropertyOrder(-1)]
        public string ApiVersion { get; } = "v1";
    }

    public sealed record ApiGroupList(IReadOnlyList<ApiGroup> Groups)
    {
        [JsonPropertyOrder(-2)]
        public string Kind { get; } = "APIGroupList";
        [JsonPropertyOrder(-1)]
        public string ApiVersion { get; } = "v1";
    }

    public sealed record ApiResource(string Name, string SingularName, bool Namespaced, string Kind, IReadOnlyList<string> Verbs)
    {
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public IReadOnlyList<string>? ShortNames { get; init; }
    }

    public sealed record ApiResourceList(string GroupVersion, IReadOnlyList<ApiResource> Resources)
    {
        [JsonPropertyOrder(-2)]
        public string Kind { get; } = "APIResourceList";
        [JsonPropertyOrder(-1)]
        public string ApiVersion { get; } = "v1";
    }

    // Aggregated discovery (apidiscovery.k8s.io/v2 and v2beta1 share these fields).
    public sealed record GroupVersionKind(string Group, string Version, string Kind);

    public sealed record DiscoverySubresource(string Subresource, GroupVersionKind ResponseKind, IReadOnlyList<string> Verbs);

    public sealed record DiscoveryResource(
        string Resource, string Scope, string SingularResource, GroupVersionKind ResponseKind,
        IReadOnlyList<string> Verbs, IReadOnlyList<DiscoverySubresource> Subresources)
    {
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public IReadOnlyList<string>? ShortNames { get; init; }
    }

    public sealed record DiscoveryVersion(string Version, IReadOnlyList<DiscoveryResource> Resources)
    {
        public string Freshness { get; } = "Current";
    }

    public sealed record ObjectName(string Name);

    public sealed record DiscoveryGroup(ObjectName Metadata, IReadOnlyList<DiscoveryVersion> Versions);

    public sealed record ApiGroupDiscoveryList(string ApiVersion, IReadOnlyList<DiscoveryGroup> Items)
    {
        [JsonPropertyOrder(-2)]
        public string Kind { get; } = "APIGroupDiscoveryList";
        public EmptyObject Metadata { get; } = new();
    }
}
