using KubeDiscovery.Api.Connections;
using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Applications;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Connections;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Security;

namespace KubeDiscovery.Api.Applications;

/// <summary>
/// <c>…/appinstances/{name}/connections</c>: what the application uses outside itself and who outside it
/// uses it — the edges with one end among its objects and the other not (a Secret it mounts, the
/// Ingress that routes to its Service, another application's Pods reading its ConfigMap) — each outside
/// object with the application it belongs to. Built from every member object's neighbourhood (depth
/// 1) as the user may see it, from one node budget for the whole answer.
/// </summary>
internal sealed class ApplicationConnections(ClusterCache cache, AccessControl security, CompositionOptions options)
{
    public const string Subresource = "connections";

    public async Task WriteAsync(HttpContext context, ApplicationSummary app)
    {
        var inside = new HashSet<string>(StringComparer.Ordinal);
        List<ObjectRecord> objects = [];
        foreach (var tree in app.Trees) Collect(tree, inside, objects);
        var graphs = await new ConnectionGraphs(cache, security.Filter, options.CountHidden)
            .BuildAsync(context.GetKubernetesUser(), objects, new ConnectionWalk(), options.MaxNodes, context.RequestAborted);
        var nodes = new Dictionary<string, ConnectionNode>(StringComparer.Ordinal);
        var uses = new SortedSet<(string From, string Link, string To)>();
        var usedBy = new SortedSet<(string From, string Link, string To)>();
        var hidden = 0;
        var truncated = false;
        foreach (var graph in graphs)
        {
            hidden += graph.Hidden;
            truncated |= graph.Truncated;
            foreach (var node in graph.Nodes) nodes.TryAdd(node.Id, node);
            foreach (var edge in graph.Edges)
            {
                bool fromIn = inside.Contains(edge.From), toIn = inside.Contains(edge.To);
                if (fromIn && !toIn) uses.Add((edge.From, edge.Link, edge.To));
                else if (toIn && !fromIn) usedBy.Add((edge.From, edge.Link, edge.To));
            }
        }
        if (truncated) context.Response.Headers.Append("Warning", ApplicationEndpoints.CutWarning);
        var apps = cache.Index.Applications;
        await JsonAnswers.WriteAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteString("apiVersion", KubeDiscoveryApi.GroupVersion);
            w.WriteString("kind", "ApplicationConnections");
            w.WriteStartObject("application");
            w.WriteString("namespace", app.Key.Namespace);
            w.WriteString("name", app.Key.ItemName);
            w.WriteEndObject();
            Edges("uses", uses, e => e.To);
            Edges("usedBy", usedBy, e => e.From);
            if (hidden > 0) w.WriteNumber("hidden", hidden);
            if (truncated) w.WriteBoolean("truncated", true);
            w.WriteEndObject();

            void Edges(string name, SortedSet<(string From, string Link, string To)> edges, Func<(string From, string Link, string To), string> outside)
            {
                w.WriteStartArray(name);
                foreach (var edge in edges)
                {
                    w.WriteStartObject();
                    w.WriteString("from", edge.From);
                    w.WriteString("link", edge.Link);
                    w.WriteString("to", edge.To);
                    var other = nodes.GetValueOrDefault(outside(edge));
                    if (other is { Missing: true }) w.WriteBoolean("missing", true);
                    if (other?.Object is { } record && apps.ApplicationOf(record) is { } key && key != app.Key)
                    {
                        w.WriteString("application", key.Namespace == app.Key.Namespace ? key.ItemName : $"{key.Namespace}/{key.ItemName}");
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }

        });
    }

    private static void Collect(CompositionNode node, HashSet<string> inside, List<ObjectRecord> objects)
    {
        if (inside.Add(ObjectKey.Of(node.Object).DisplayName)) objects.Add(node.Object);
        foreach (var child in node.Children) Collect(child, inside, objects);
    }
}
