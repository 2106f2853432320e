using System.Text.Json;
using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Rendering;
using KubeDiscovery.Security;
using KubeDiscovery.Security.Authorization;

namespace KubeDiscovery.Api;

/// <summary>
/// <c>…/namespaces/{ns}/{resource}/{name}/compositions</c>, <c>…/{resource}/{name}/compositions</c>
/// (cluster-scoped kinds, or <c>*</c> across all namespaces) and the 2018 <c>composition?kind=…</c>.
/// </summary>
internal sealed class CompositionEndpoints(ClusterCache cache, AccessControl security, CompositionOptions options, Compositions.CompositionWatch watch, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var prefix = KubeDiscoveryApi.Prefix;
        routes.MapGet(prefix + "/namespaces/{namespace}/{resource}/{name}/" + KubeDiscoveryApi.CompositionsSubresource,
            context => Get(context).Namespaced(context));
        routes.MapGet(prefix + "/{resource}/{name}/" + KubeDiscoveryApi.CompositionsSubresource,
            context => Get(context).Unnamespaced(context));
        routes.MapGet(prefix + "/composition", context => Get(context).Legacy(context));
    }

    private static CompositionEndpoints Get(HttpContext context) =>
        context.RequestServices.GetRequiredService<CompositionEndpoints>();

    private Task Namespaced(HttpContext context)
    {
        var values = context.Request.RouteValues;
        return Answer(context, (string)values["namespace"]!, (string)values["resource"]!, (string)values["name"]!);
    }

    private Task Unnamespaced(HttpContext context)
    {
        var values = context.Request.RouteValues;
        return Answer(context, null, (string)values["resource"]!, (string)values["name"]!);
    }

    private async Task Answer(HttpContext context, string? ns, string resource, string name)
    {
        if (!TryReadQuery(context, out var depth, out var format, out var queryError))
        {
            await StatusErrors.BadRequest(context, queryError);
            return;
        }
        var text = format != CompositionFormat.Json;
        var type = await Preconditions.ResolveAsync(context, cache, resource, CompositionQuery.MediaType(format));
        if (type is null) return;

        var all = name == "*";
        if (await Preconditions.WrongScopeAsync(context, type, ns, name, KubeDiscoveryApi.CompositionsSubresource)) return;

        if (!Compositions.WatchQuery.TryRead(context.Request.Query, out var watchQuery, out var watchError))
        {
            await StatusErrors.BadRequest(context, watchError);
            return;
        }
        if (watchQuery.Watch)
        {
            // Items are the objects of the kind asked for (one, or all of them), owned or not.
            bool IsItem(ObjectRecord r) => r.Type.Storage == type.Storage && (ns is null || r.Namespace == ns) && (all || r.Name == name);
            await watch.RunAsync(context, watchQuery, context.GetKubernetesUser(), depth, IsItem, r => r.Name,
                () => all ? cache.Index.List(type.Storage, ns) : cache.Index.Find(type.Storage, ns, name) is { } one ? [one] : [],
                (w, tree, _, _) => CompositionJsonWriter.WriteComposition(w, tree));
            return;
        }

        if (all)
        {
            var page = await Compositions.ListPages.TakeAsync(context, $"{type.Storage}/*|{ns}|{depth}",
                () => security.Filter.ReadableAsync(context.GetKubernetesUser(), cache.Index.List(type.Storage, ns), context.RequestAborted));
            if (page is null) return;
            var roots = await BuildAsync(context, page.Roots, depth);
            await (text ? CompositionQuery.WriteTextAsync(context, format, roots, time.GetUtcNow()) : WriteJsonList(context, roots, page.Continue, page.Remaining));
            return;
        }

        var root = cache.Index.Find(type.Storage, ns, name);
        // An object the user may not read is as missing as one that does not exist: no existence leaks.
        var visible = root is null ? [] : await BuildAsync(context, [root], depth);
        if (visible.Count == 0)
        {
            await StatusErrors.NotFound(context, type.GroupResource, name);
            return;
        }
        var composition = visible[0];
        await (text ? CompositionQuery.WriteTextAsync(context, format, [composition], time.GetUtcNow()) : WriteJson(context, w => CompositionJsonWriter.WriteComposition(w, composition)));
    }

    /// <summary>The trees of <paramref name="roots"/> as one answer, holding only what the requesting user may read.</summary>
    /// <exception cref="AuthorizationUnavailableException">A review failed (answered 500 by the error middleware).</exception>
    /// <remarks>An answer the node budget cut says so in a <c>Warning</c> header, which kubectl prints.</remarks>
    private async ValueTask<List<CompositionNode>> BuildAsync(HttpContext context, ObjectRecord[] roots, int? depth)
    {
        using var span = Observability.Tracing.Source.StartActivity("compositions.build");
        span?.SetTag("kubediscovery.roots", roots.Length);
        var answer = await security.Filter.BuildAsync(context.GetKubernetesUser(), cache.Index, roots, depth, options, context.RequestAborted);
        if (answer.Warning is { } warning) context.Response.Headers.Append("Warning", warning);
        return answer.Trees;
    }

    private async Task Legacy(HttpContext context)
    {
        var query = context.Request.Query;
        var kind = query["kind"].ToString();
        var instance = query["instance"].ToString();
        var ns = query["namespace"].ToString();
        if (kind.Length == 0 || instance.Length == 0)
        {
            await StatusErrors.BadRequest(context, "composition needs kind and instance query parameters, e.g. ?kind=Deployment&instance=nginx&namespace=default (instance=* for all)");
            return;
        }
        var type = await Preconditions.ResolveAsync(context, cache, kind, "application/json");
        if (type is null) return;
        string? scope = type.Namespaced ? (ns.Length > 0 ? ns : "default") : null;

        List<CompositionNode> roots;
        if (instance == "*")
        {
            roots = await BuildAsync(context, cache.Index.List(type.Storage, scope), null);
        }
        else
        {
            var root = cache.Index.Find(type.Storage, scope, instance);
            roots = root is null ? [] : await BuildAsync(context, [root], null);
            if (roots.Count == 0)
            {
                await StatusErrors.NotFound(context, type.GroupResource, instance);
                return;
            }
        }
        await WriteJson(context, w => LegacyJsonWriter.Write(w, roots));
    }

    private static bool TryReadQuery(HttpContext context, out int? depth, out CompositionFormat format, out string error)
    {
        format = CompositionFormat.Json;
        return CompositionQuery.TryReadDepth(context.Request.Query, out depth, out error)
            && CompositionQuery.TryReadFormat(context.Request.Query, out format, out error);
    }

    private static Task WriteJsonList(HttpContext context, IReadOnlyList<CompositionNode> roots, string? continueToken, long? remaining) =>
        JsonAnswers.WriteListAsync(context, roots, w => CompositionJsonWriter.WriteListStart(w, continueToken, remaining),
            CompositionJsonWriter.WriteItem, CompositionJsonWriter.WriteListEnd);

    private static Task WriteJson(HttpContext context, Action<Utf8JsonWriter> write) => JsonAnswers.WriteAsync(context, write);
}
