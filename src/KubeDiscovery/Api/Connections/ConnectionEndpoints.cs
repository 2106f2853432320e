using KubeDiscovery.Api.Compositions;
using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Connections;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Rendering;
using KubeDiscovery.Security;

namespace KubeDiscovery.Api.Connections;

/// <summary>
/// <c>…/namespaces/{ns}/{resource}/{name}/connections</c> and <c>…/{resource}/{name}/connections</c>
/// (cluster-scoped kinds, or <c>*</c>): an object's neighbourhood, with the path forms, name rules,
/// errors and per-user filtering of compositions. One node budget holds for the whole answer: a <c>*</c>
/// list is written root by root as each is built, and stops where the budget runs out with a
/// <c>continue</c> token for the rest.
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
        if (!ConnectionQuery.TryRead(context.Request.Query, out var walk, out var format, out var queryError))
        {
            await StatusErrors.BadRequest(context, queryError);
            return;
        }
        if (await Preconditions.ResolveAsync(context, cache, resource, CompositionQuery.MediaType(format)) is not { } type) return;
        if (await Preconditions.WrongScopeAsync(context, type, ns, name, Subresource)) return;

        var user = context.GetKubernetesUser();
        var graphs = new ConnectionGraphs(cache, security.Filter, options.CountHidden);
        if (name == "*")
        {
            var q = context.Request.Query;
            var listKey = $"{type.Storage}/*|{ns}|connections|{walk.Depth}|{walk.Direction}|{q["kinds"]}|{q["through"]}";
            var page = await ListPages.TakeAsync(context, listKey,
                () => security.Filter.ReadableAsync(user, cache.Index.List(type.Storage, ns), context.RequestAborted));
            if (page is null) return;
            var budget = ConnectionBudget.For(options.MaxNodes);
            var stream = graphs.StreamAsync(user, page.Roots, walk, budget, context.RequestAborted);
            if (format != CompositionFormat.Json)
            {
                List<ConnectionGraph> built = [];
                await foreach (var (_, graph) in stream) built.Add(graph);
                await WriteTextAsync(context, format, built);
                return;
            }
            ObjectRecord? last = null;
            var written = 0;
            await JsonAnswers.WriteListAsync(context, stream, ConnectionJsonWriter.WriteListStart,
                (w, each) =>
                {
                    ConnectionJsonWriter.WriteConnections(w, each.Graph, walk, cache.Catalog);
                    (last, written) = (each.Root, written + 1);
                },
                w =>
                {
                    // Cut by the budget before the page's end: the next page starts after the last root written.
                    if (last is not null && written < page.Roots.Length)
                    {
                        ConnectionJsonWriter.WriteListEnd(w, ListPages.Token(listKey, last), (page.Remaining ?? 0) + page.Roots.Length - written);
                    }
                    else
                    {
                        ConnectionJsonWriter.WriteListEnd(w, page.Continue, page.Remaining);
                    }
                });
            return;
        }

        var root = cache.Index.Find(type.Storage, ns, name);
        // An object the user may not read is as missing as one that does not exist: no existence leaks.
        var answer = root is null ? [] : await graphs.BuildAsync(user, [root], walk, options.MaxNodes, context.RequestAborted);
        if (answer.Count == 0)
        {
            await StatusErrors.NotFound(context, type.GroupResource, name);
            return;
        }
        if (answer[0].Truncated)
        {
            context.Response.Headers.Append("Warning",
                $"299 - \"the answer was cut at its budget of {options.MaxNodes} nodes (truncated: true marks where): ask a smaller ?depth, one ?direction or some ?kinds\"");
        }
        if (format != CompositionFormat.Json)
        {
            await WriteTextAsync(context, format, answer);
            return;
        }
        await JsonAnswers.WriteAsync(context, w => ConnectionJsonWriter.WriteConnections(w, answer[0], walk, cache.Catalog));
    }

    private static Task WriteTextAsync(HttpContext context, CompositionFormat format, IReadOnlyList<ConnectionGraph> graphs)
    {
        context.Response.ContentType = CompositionQuery.MediaType(format) + "; charset=utf-8";
        var text = format switch
        {
            CompositionFormat.Dot => ConnectionPictureWriter.Dot(graphs),
            CompositionFormat.Mermaid => ConnectionPictureWriter.Mermaid(graphs),
            _ => ConnectionPictureWriter.Tree(graphs),
        };
        return context.Response.WriteAsync(text, System.Text.Encoding.UTF8, context.RequestAborted);
    }
}
