using KubeDiscovery.Api;
using KubeDiscovery.Graph;
using KubeDiscovery.Security.Authorization;

namespace KubeDiscovery.Observability;

/// <summary>
/// Counts and times every request, refused ones included (it runs before authentication), under
/// kube-apiserver's <c>apiserver_request_*</c> names. Label values come only from names the server knows
/// — its own group and version, resources in the catalog, its subresources — so a caller cannot grow
/// the series without bound by asking for made-up paths.
/// </summary>
internal sealed class RequestMetricsMiddleware(RequestDelegate next, ServerMetrics metrics, ClusterCache cache, TimeProvider time)
{
    private static readonly HashSet<string> TopLevelResources = new(StringComparer.Ordinal)
    {
        Api.Compositions.CompositionListEndpoints.Resource, Api.Connections.DanglingEndpoints.Resource,
    };

    private static readonly HashSet<string> Subresources = new(StringComparer.Ordinal)
    {
        KubeDiscoveryApi.CompositionsSubresource, Api.Connections.ConnectionEndpoints.Subresource,
    };

    public async Task InvokeAsync(HttpContext context)
    {
        var started = time.GetTimestamp();
        metrics.RequestStarted();
        var escaped = false;
        try
        {
            await next(context);
        }
        catch
        {
            escaped = true;
            throw;
        }
        finally
        {
            // An exception that escapes everything becomes the host's 500; count it as one.
            var code = escaped && !context.Response.HasStarted ? 500 : context.Response.StatusCode;
            metrics.RequestDone(Labels(context), code, time.GetElapsedTime(started));
        }
    }

    private RequestLabels Labels(HttpContext context)
    {
        var a = RequestAttributes.Of(context, cache.Catalog);
        if (!a.IsResourceRequest) return new RequestLabels(a.Verb.ToUpperInvariant(), "", "", "", "", "");
        var ours = a.ApiGroup == KubeDiscoveryApi.Name && a.ApiVersion == KubeDiscoveryApi.Version;
        string resource;
        if (!ours) resource = "";
        else if (a.Subresource.Length == 0) resource = TopLevelResources.Contains(a.Resource) ? a.Resource : "";
        else resource = cache.Catalog.Resolve(a.Resource) is { } type ? type.Plural : "";
        var subresource = ours && Subresources.Contains(a.Subresource) ? a.Subresource : "";
        var scope = a.Name.Length > 0 ? "resource" : a.Namespace.Length > 0 ? "namespace" : "cluster";
        return new RequestLabels(a.Verb.ToUpperInvariant(), ours ? a.ApiGroup : "", ours ? a.ApiVersion : "", resource, subresource, scope);
    }
}
