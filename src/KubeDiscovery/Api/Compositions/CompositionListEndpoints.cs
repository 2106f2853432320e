using System.Globalization;
using System.Text.Json;
using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Graph.Selectors;
using KubeDiscovery.Rendering;
using KubeDiscovery.Security;
using static KubeDiscovery.Rendering.CompositionTableWriter;

namespace KubeDiscovery.Api.Compositions;

/// <summary>
/// The listable resources: <c>compositions</c> (namespaced: the trees of every root object in a namespace,
/// or in all of them) and <c>clustercompositions</c> (the trees of cluster-scoped roots: Nodes, Namespaces,
/// ClusterRoles, cluster-scoped custom resources), so <c>kubectl get compositions</c> works as for any
/// resource: Table output with the tree drawn in the NAME column, <c>-o wide|yaml|json|name</c>,
/// <c>-l</c> on the root's labels, <c>--field-selector</c>, <c>--chunk-size</c>. Items are named by
/// <see cref="CompositionNames"/>. kube-apiserver reads <c>namespaces/{ns}/compositions</c> as this list
/// (a namespace has no other subresources than status and finalize), so a Namespace's own tree is the
/// <c>clustercompositions</c> item <c>namespace.{name}</c>.
/// </summary>
internal sealed class CompositionListEndpoints(ClusterCache cache, AccessControl security, CompositionOptions options, CompositionWatch watch, TimeProvider time)
{
    private static readonly System.Text.Json.JsonEncodedText CreationTimestamp = System.Text.Json.JsonEncodedText.Encode("creationTimestamp");

    public const string Resource = "compositions";
    public const string ClusterResource = "clustercompositions";
    public static readonly string[] FieldLabels = ["metadata.name", "metadata.namespace", "root.apiVersion", "root.kind", "root.name", "status.ready"];

    public static void Map(IEndpointRouteBuilder routes)
    {
        var prefix = KubeDiscoveryApi.Prefix;
        // kubectl, told an item in a namespace is not found, asks whether the namespace exists. Through the
        // aggregator kube-apiserver answers; reached directly, we do, from the index, so kubectl says which.
        routes.MapGet("/api/v1/namespaces/{name}", c => Get(c).Namespace(c, Route(c, "name")));
        routes.MapGet($"{prefix}/{Resource}", c => Get(c).List(c, null, clusterScoped: false));
        routes.MapGet($"{prefix}/namespaces/{{namespace}}/{Resource}", c => Get(c).List(c, Route(c, "namespace"), clusterScoped: false));
        routes.MapGet($"{prefix}/namespaces/{{namespace}}/{Resource}/{{name}}", c => Get(c).Item(c, Route(c, "namespace"), Route(c, "name"), clusterScoped: false));
        routes.MapGet($"{prefix}/{ClusterResource}", c => Get(c).List(c, null, clusterScoped: true));
        routes.MapGet($"{prefix}/{ClusterResource}/{{name}}", c => Get(c).Item(c, null, Route(c, "name"), clusterScoped: true));
    }

    private static CompositionListEndpoints Get(HttpContext context) => context.RequestServices.GetRequiredService<CompositionListEndpoints>();

    private static string Route(HttpContext context, string key) => (string)context.Request.RouteValues[key]!;

    private static string Kind(bool clusterScoped) => clusterScoped ? "ClusterComposition" : "Composition";

    private static GroupResource Named(bool clusterScoped) => new(KubeDiscoveryApi.Name, clusterScoped ? ClusterResource : Resource);

    private async Task List(HttpContext context, string? ns, bool clusterScoped)
    {
        if (await Preamble(context) is not { } query) return;
        var q = context.Request.Query;
        if (!TryParseSelectors(q, out var labels, out var fields, out var error))
        {
            await StatusErrors.BadRequest(context, error);
            return;
        }

        var user = context.GetKubernetesUser();
        var catalog = cache.Catalog;
        bool InScope(ObjectRecord r) =>
            r.Type.Namespaced != clusterScoped && (clusterScoped || ns is null || r.Namespace == ns)
            && labels.Matches(r.Labels) && fields.Matches(f => FieldValue(r, f, catalog));
        if (!WatchQuery.TryRead(q, out var watchQuery, out var watchError))
        {
            await StatusErrors.BadRequest(context, watchError);
            return;
        }
        if (watchQuery.Watch)
        {
            var kind = Kind(clusterScoped);
            Action<Utf8JsonWriter, CompositionNode, string, string> write = query.Format == AnswerFormat.Table
                ? (w, tree, name, rv) => CompositionTableWriter.Write(w, [(tree, name)], rv, null, null, query.Include, kind, time.GetUtcNow())
                : (w, tree, name, rv) => CompositionJsonWriter.WriteNamedItem(w, tree, kind, name, rv);
            await watch.RunAsync(context, watchQuery, user, query.Depth, r => CompositionRoots.IsRoot(r, cache.Index) && InScope(r), r => CompositionNames.NameOf(r, catalog),
                () => CompositionRoots.List(cache.Index, catalog, ns, clusterScoped).Where(InScope).ToList(), write);
            return;
        }
        var listKey = $"{(clusterScoped ? ClusterResource : Resource)}|{ns}|{q["labelSelector"]}|{q["fieldSelector"]}|{query.Depth}";
        var page = await ListPages.TakeAsync(context, listKey,
            () => security.Filter.ReadableAsync(user, CompositionRoots.List(cache.Index, catalog, ns, clusterScoped).Where(InScope).ToList(), context.RequestAborted));
        if (page is null) return;
        var (next, remaining) = (page.Continue, page.Remaining);
        var answer = await security.Filter.BuildAsync(user, cache.Index, page.Roots, query.Depth, options, context.RequestAborted);
        if (answer.Warning is { } warning) context.Response.Headers.Append("Warning", warning);
        var named = answer.Trees.Select(t => (t, CompositionNames.NameOf(t.Object, catalog))).ToList();
        await Answer(context, query, named, clusterScoped, list: true, next, remaining);
    }

    private async Task Item(HttpContext context, string? ns, string name, bool clusterScoped)
    {
        if (await Preamble(context) is not { } query) return;
        if (!WatchQuery.TryRead(context.Request.Query, out var watchQuery, out var watchError))
        {
            await StatusErrors.BadRequest(context, watchError);
            return;
        }
        if (watchQuery.Watch)
        {
            await StatusErrors.BadRequest(context, $"watch a single composition on the list, with fieldSelector=metadata.name={name} (what kubectl get composition {name} -w sends)");
            return;
        }
        // Any object can be got by its item name, root or not (a ReplicaSet's own tree, a Namespace's even
        // when a Tenant owns it); the list holds the roots.
        var root = CompositionNames.Find(name, ns, cache.Catalog, cache.Index);
        var answer = root is null
            ? null
            : await security.Filter.BuildAsync(context.GetKubernetesUser(), cache.Index, [root], query.Depth, options, context.RequestAborted);
        if (answer?.Warning is { } warning) context.Response.Headers.Append("Warning", warning);
        var trees = answer?.Trees ?? [];
        // Not there, or not readable by this user: the same 404 each time, naming only what they may read.
        if (trees.Count == 0)
        {
            await StatusErrors.NotFound(context, Named(clusterScoped), name, await HintAsync(context, ns, name));
            return;
        }
        await Answer(context, query, [(trees[0], name)], clusterScoped, list: false, null, null);
    }

    /// <summary>
    /// For a bare object name (<c>cart</c>), the item names the user may read that it could mean
    /// (<c>deployment.cart</c>, <c>service.cart</c>); otherwise how item names are made.
    /// </summary>
    private async Task<string> HintAsync(HttpContext context, string? ns, string name)
    {
        var catalog = cache.Catalog;
        var named = CompositionNames.Named(name, ns, catalog, cache.Index).ToList();
        var readable = named.Count == 0 ? named : await security.Filter.ReadableAsync(context.GetKubernetesUser(), named, context.RequestAborted);
        if (readable.Count > 0)
        {
            var names = readable.Select(r => CompositionNames.NameOf(r, catalog)).Order(StringComparer.Ordinal).ToList();
            return $": item names are kind.name; did you mean {string.Join(" or ", names)}?";
        }
        return name.Contains('.', StringComparison.Ordinal) ? "" : $": item names are kind.name, such as deployment.{name}";
    }

    private async Task Namespace(HttpContext context, string name)
    {
        if (!cache.HasSynced)
        {
            await StatusErrors.NotSynced(context);
            return;
        }
        var found = cache.Catalog.Resolve("namespaces") is { } type ? cache.Index.Find(type.Storage, null, name) : null;
        if (found is null)
        {
            await StatusErrors.NotFound(context, new GroupResource("", "namespaces"), name);
            return;
        }
        await JsonAnswers.WriteAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteString("kind", "Namespace");
            w.WriteString("apiVersion", "v1");
            w.WriteStartObject("metadata");
            w.WriteString("name", found.Name);
            w.WriteString("uid", found.Uid);
            if (found.CreationTimestamp is { } created) CompositionJsonWriter.WriteTimestamp(w, CreationTimestamp, created);
            w.WriteEndObject();
            w.WriteStartObject("status");
            w.WriteString("phase", "Active");
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private async Task Answer(HttpContext context, Query query, List<(CompositionNode Root, string Name)> trees, bool clusterScoped, bool list,
        string? next, long? remaining)
    {
        var resourceVersion = cache.Index.Generation.ToString(CultureInfo.InvariantCulture);
        var kind = Kind(clusterScoped);
        switch (query.Format)
        {
            case AnswerFormat.Text:
                await CompositionQuery.WriteTextAsync(context, query.TextFormat, trees.Select(t => t.Root).ToList(), time.GetUtcNow());
                return;
            case AnswerFormat.Table:
                await JsonAnswers.WriteAsync(context, w => CompositionTableWriter.Write(w, trees, resourceVersion, next, remaining, query.Include, kind, time.GetUtcNow()));
                return;
            case AnswerFormat.Json when list:
                await JsonAnswers.WriteListAsync(context, trees,
                    w => CompositionJsonWriter.WriteNamedListStart(w, kind + "List", resourceVersion, next, remaining),
                    (w, t) => CompositionJsonWriter.WriteNamedItem(w, t.Root, kind, t.Name, resourceVersion),
                    CompositionJsonWriter.WriteListEnd);
                return;
            default:
                await JsonAnswers.WriteAsync(context, w => CompositionJsonWriter.WriteNamedItem(w, trees[0].Root, kind, trees[0].Name, resourceVersion));
                return;
        }
    }

    /// <summary>What every answer checks first, in kube-apiserver's order: the query, the Accept header (406), the index (503).</summary>
    private async Task<Query?> Preamble(HttpContext context)
    {
        var q = context.Request.Query;
        if (!CompositionQuery.TryReadDepth(q, out var depth, out var error) || !CompositionQuery.TryReadFormat(q, out var textFormat, out error))
        {
            await StatusErrors.BadRequest(context, error);
            return null;
        }
        if (!IncludeObjectQuery.TryRead(q, out var include, out error))
        {
            await StatusErrors.BadRequest(context, error);
            return null;
        }
        var format = textFormat != CompositionFormat.Json ? AnswerFormat.Text : AcceptHeader.WantsTable(context.Request) ? AnswerFormat.Table : AnswerFormat.Json;
        var mediaType = CompositionQuery.MediaType(textFormat);
        if (format != AnswerFormat.Table && !AcceptHeader.Allows(context.Request, mediaType))
        {
            await StatusErrors.NotAcceptable(context, mediaType);
            return null;
        }
        if (!cache.HasSynced)
        {
            await StatusErrors.NotSynced(context);
            return null;
        }
        return new Query(depth, format, include, textFormat);
    }

    private static bool TryParseSelectors(IQueryCollection q, out LabelSelector labels, out FieldSelector fields, out string error)
    {
        (labels, fields, error) = (LabelSelector.Everything, FieldSelector.Everything, "");
        try
        {
            labels = LabelSelector.Parse(q["labelSelector"].ToString());
            fields = FieldSelector.Parse(q["fieldSelector"].ToString(), FieldLabels);
            return true;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }
    }

    private static string? FieldValue(ObjectRecord root, string field, Graph.Resources.ResourceCatalog catalog) => field switch
    {
        "metadata.name" => CompositionNames.NameOf(root, catalog),
        "metadata.namespace" => root.Namespace,
        "root.apiVersion" => root.ApiVersion,
        "root.kind" => root.Kind,
        "root.name" => root.Name,
        // The root's readiness, as its row shows it: "what is broken in this cluster" is status.ready=False.
        "status.ready" => root.Status.ReadyText,
        _ => null,
    };

    private enum AnswerFormat
    {
        Json,
        Text,
        Table,
    }

    private sealed record Query(int? Depth, AnswerFormat Format, IncludeObject Include, CompositionFormat TextFormat);
}
