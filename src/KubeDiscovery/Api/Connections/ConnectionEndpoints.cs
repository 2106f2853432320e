using KubeDiscovery.Api.Compositions;
using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Connections;
using KubeDiscovery.Rendering;
using KubeDiscovery.Security;

namespace KubeDiscovery.Api.Connections;

/// <summary>
/// <c>…/namespaces/{ns}/{resource}/{name}/connections</c> and <c>…/{resource}/{name}/connections</c>
/// (cluster-scoped kinds, or <c>*</c>): an object's neighbourhood, with the path forms, name rules,
/// errors and per-user filtering of compositions.
/// </summary>
internal sealed class ConnectionEndpoints(ClusterCache cache, AccessControl security, CompositionOptions options)
{
    public const string Subresource = "connections";

    public static void Map(IEndpointRouteBuilder routes)
    {
        var prefix = KubeDiscoveryApi.Prefix;
        routes.MapGet(prefix + "/namespaces/{namespace}/{resource}/{name}/" + Subresource,
            c => Get(c).Answer(c, (string)c.Request.RouteValues["namespace"]!, (string)c.Request.RouteValues["resource"]!, (string)c.Request.RouteValues["name"]!));
        routes.MapGet(prefix + "/{resource}/{name}/" + Subresource,
            c => Get(c).Answer(c, null, (string)c.Request.RouteValues["resource"]!, (string)c.Request.RouteValues["name"]!));
    }

    private static ConnectionEndpoints Get(HttpContext context) => context.RequestServices.GetRequiredService<ConnectionEndpoints>();

    private async Task Answer(HttpContext context, string? ns, string resource, string name)
    {
        if (!ConnectionQuery.TryRead(context.Request.Query, out var depth, out var direction, out var queryError))
        {
            await StatusErrors.BadRequest(context, queryError);
            return;
        }
        if (await Preconditions.ResolveAsync(context, cache, resource, "application/json") is not { } type) return;
        if (await Preconditions.WrongScopeAsync(context, type, ns, name, Subresource)) return;
        var all = name == "*";

        var user = context.GetKubernetesUser();
        var graphs = new ConnectionGraphs(cache, security.Filter, options.MaxNodes);
        if (all)
        {
            var page = await ListPages.TakeAsync(context, $"{type.Storage}/*|{ns}|connections",
                () => security.Filter.ReadableAsync(user, cache.Index.List(type.Storage, ns), context.RequestAborted));
            if (page is null) return;
            var built = await graphs.BuildAsync(user, page.Roots, depth, direction, context.RequestAborted);
            WarnIfCut(context, built);
            await JsonAnswers.WriteListAsync(context, built, w => ConnectionJsonWriter.WriteListStart(w, page.Continue, page.Remaining),
                (w, g) => ConnectionJsonWriter.WriteConnections(w, g, depth, direction, cache.Catalog), ConnectionJsonWriter.WriteListEnd);
            return;
        }

        var root = cache.Index.Find(type.Storage, ns, name);
        // An object the user may not read is as missing as one that does not exist: no existence leaks.
        var answer = root is null ? [] : await graphs.BuildAsync(user, [root], depth, direction, context.RequestAborted);
        if (answer.Count == 0)
        {
            await StatusErrors.NotFound(context, type.GroupResource, name);
            return;
        }
        WarnIfCut(context, answer);
        await JsonAnswers.WriteAsync(context, w => ConnectionJsonWriter.WriteConnections(w, answer[0], depth, direction, cache.Catalog));
    }

    private void WarnIfCut(HttpContext context, IReadOnlyList<ConnectionGraph> graphs)
    {
        if (graphs.Any(g => g.Truncated))
        {
            context.Response.Headers.Append("Warning",
                $"299 - \"the answer was cut at {options.MaxNodes} nodes (truncated: true marks where): ask a smaller ?depth or one ?direction\"");
        }
    }
}
