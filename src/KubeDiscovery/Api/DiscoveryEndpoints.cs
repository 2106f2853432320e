using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Graph.Resources;
using static KubeDiscovery.Api.DiscoveryModels;

namespace KubeDiscovery.Api;

/// <summary>
/// <c>/apis</c> (APIGroupList, or aggregated discovery v2/v2beta1 when asked), <c>/apis/kubediscovery.io</c>
/// and <c>/apis/kubediscovery.io/v1</c>: one <c>{plural}/compositions</c> and <c>{plural}/connections</c> per resource the cluster serves.
/// </summary>
internal sealed class DiscoveryEndpoints(ClusterCache cache, Hosting.HistoryService? history = null)
{
    private static readonly string[] GetOnly = ["get"];
    private static readonly string[] GetList = ["get", "list", "watch"];
    private static readonly string[] ListWatch = ["list", "watch"];

    /// <summary>The history subresources of every kind, and the kind each answers with, when history is recorded.</summary>
    private static readonly (string Subresource, string Kind)[] HistorySubresources =
    [
        (History.HistoryEndpoints.Versions, "VersionList"), (History.HistoryEndpoints.SpecHistory, "SpecHistory"),
        (History.HistoryEndpoints.Diff, "JSONPatch"), (History.HistoryEndpoints.Bisect, "BisectResult"), (History.ChangesEndpoints.Subresource, "ChangeList"),
    ];

    private static readonly GroupVersionForDiscovery OurVersion = new(KubeDiscoveryApi.GroupVersion, KubeDiscoveryApi.Version);

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/apis", context => Get(context).Apis(context));
        routes.MapGet("/apis/" + KubeDiscoveryApi.Name, Group);
        routes.MapGet(KubeDiscoveryApi.Prefix, context => Get(context).Resources(context));
    }

    private static DiscoveryEndpoints Get(HttpContext context) =>
        context.RequestServices.GetRequiredService<DiscoveryEndpoints>();

    private Task Apis(HttpContext context)
    {
        context.Response.Headers.Vary = "Accept";
        var aggregated = AcceptHeader.AggregatedDiscoveryVersion(context.Request);
        if (aggregated is not null)
        {
            var body = new ApiGroupDiscoveryList($"apidiscovery.k8s.io/{aggregated}", [new DiscoveryGroup(new ObjectName(KubeDiscoveryApi.Name), [new DiscoveryVersion(KubeDiscoveryApi.Version, AggregatedResources())])]);
            return Write(context, body, ApiJsonContext.Relaxed.ApiGroupDiscoveryList,
                $"application/json;g=apidiscovery.k8s.io;v={aggregated};as=APIGroupDiscoveryList");
        }
        return Write(context, new ApiGroupList([new ApiGroup(KubeDiscoveryApi.Name, [OurVersion], OurVersion)]), ApiJsonContext.Relaxed.ApiGroupList);
    }

    private static Task Group(HttpContext context) =>
        Write(context, new ApiGroup(KubeDiscoveryApi.Name, [OurVersion], OurVersion), ApiJsonContext.Relaxed.ApiGroup);

    private Task Resources(HttpContext context)
    {
        List<ApiResource> resources =
        [
            new(Compositions.CompositionListEndpoints.Resource, "composition", true, "Composition", GetList),
            new(Compositions.CompositionListEndpoints.ClusterResource, "clustercomposition", false, "ClusterComposition", GetList),
            new(Applications.ApplicationEndpoints.Resource, Applications.ApplicationEndpoints.Singular, true, "Application", GetList) { ShortNames = Applications.ApplicationEndpoints.ShortNames },
            new($"{Applications.ApplicationEndpoints.Resource}/{Applications.ApplicationConnections.Subresource}", "", true, "ApplicationConnections", GetOnly),
        ];
        if (history is not null) resources.Add(new($"{Applications.ApplicationEndpoints.Resource}/{Applications.ApplicationHistory.Subresource}", "", true, "ChangeList", GetOnly));
        if (history is not null) resources.Add(new(History.ChangesEndpoints.Subresource, "change", true, "Change", ListWatch));
        resources.AddRange(ServedTypes(cache.Catalog).SelectMany(t => new[]
        {
            new ApiResource($"{t.Plural}/{KubeDiscoveryApi.CompositionsSubresource}", "", t.Namespaced, "Composition", GetOnly),
            new ApiResource($"{t.Plural}/{Connections.ConnectionEndpoints.Subresource}", "", t.Namespaced, "Connections", GetOnly),
        }.Concat(history is null ? [] : HistorySubresources.Select(h => new ApiResource($"{t.Plural}/{h.Subresource}", "", t.Namespaced, h.Kind, GetOnly)))));
        return Write(context, new ApiResourceList(KubeDiscoveryApi.GroupVersion, resources), ApiJsonContext.Relaxed.ApiResourceList);
    }

    private List<DiscoveryResource> AggregatedResources()
    {
        var kind = new GroupVersionKind(KubeDiscoveryApi.Name, KubeDiscoveryApi.Version, "Composition");
        var none = new GroupVersionKind("", "", "");
        List<DiscoveryResource> resources =
        [
            new(Compositions.CompositionListEndpoints.Resource, "Namespaced", "composition", kind, GetList, []),
            new(Compositions.CompositionListEndpoints.ClusterResource, "Cluster", "clustercomposition",
                new GroupVersionKind(KubeDiscoveryApi.Name, KubeDiscoveryApi.Version, "ClusterComposition"), GetList, []),
            new(Applications.ApplicationEndpoints.Resource, "Namespaced", Applications.ApplicationEndpoints.Singular,
                new GroupVersionKind(KubeDiscoveryApi.Name, KubeDiscoveryApi.Version, "Application"), GetList,
                [
                    new DiscoverySubresource(Applications.ApplicationConnections.Subresource, new GroupVersionKind(KubeDiscoveryApi.Name, KubeDiscoveryApi.Version, "ApplicationConnections"), GetOnly),
                    .. history is null ? [] : new[] { new DiscoverySubresource(Applications.ApplicationHistory.Subresource, new GroupVersionKind(KubeDiscoveryApi.Name, KubeDiscoveryApi.Version, "ChangeList"), GetOnly) },
                ]) { ShortNames = Applications.ApplicationEndpoints.ShortNames },
        ];
        resources.AddRange(ServedTypes(cache.Catalog)
            .Select(t => new DiscoveryResource(t.Plural, t.Namespaced ? "Namespaced" : "Cluster", "", none, [],
                [
                    new DiscoverySubresource(KubeDiscoveryApi.CompositionsSubresource, kind, GetOnly),
                    new DiscoverySubresource(Connections.ConnectionEndpoints.Subresource, new GroupVersionKind(KubeDiscoveryApi.Name, KubeDiscoveryApi.Version, "Connections"), GetOnly),
                    .. history is null ? [] : HistorySubresources.Select(h => new DiscoverySubresource(h.Subresource, new GroupVersionKind(KubeDiscoveryApi.Name, KubeDiscoveryApi.Version, h.Kind), GetOnly)),
                ])));
        if (history is not null)
        {
            resources.Add(new(History.ChangesEndpoints.Subresource, "Namespaced", "change", new GroupVersionKind(KubeDiscoveryApi.Name, KubeDiscoveryApi.Version, "Change"), ListWatch, []));
        }
        return resources;
    }

    /// <summary>
    /// Listable resources, one per plural: where two groups share a plural (events), the first in
    /// discovery order names the entry, as a path without a group resolves to it.
    /// </summary>
    internal static IEnumerable<ResourceType> ServedTypes(ResourceCatalog catalog)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in catalog.Types)
        {
            var listable = type.Verbs.Count == 0 || type.Verbs.Contains("list");
            if (listable && seen.Add(type.Plural)) yield return type;
        }
    }

    // Discovery answers carry an ETag so the aggregator and kubectl can revalidate with 304.
    private static async Task Write<T>(HttpContext context, T body, JsonTypeInfo<T> info, string contentType = "application/json")
    {
        if (!AcceptHeader.Allows(context.Request, "application/json") && contentType == "application/json")
        {
            await StatusErrors.NotAcceptable(context, "application/json");
            return;
        }
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, info);
        var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 16))}\"";
        var response = context.Response;
        response.Headers.ETag = etag;
        if (context.Request.Headers.IfNoneMatch.Any(v => v == etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        response.ContentType = contentType;
        await response.Body.WriteAsync(bytes, context.RequestAborted);
    }
}
