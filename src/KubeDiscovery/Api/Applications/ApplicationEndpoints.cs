using System.Globalization;
using KubeDiscovery.Api.Compositions;
using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Applications;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Graph.Selectors;
using KubeDiscovery.Rendering;
using KubeDiscovery.Security;
using static KubeDiscovery.Rendering.CompositionTableWriter;

namespace KubeDiscovery.Api.Applications;

/// <summary>
/// <c>appinstances</c>: what users deployed, as one namespaced, listable, watchable resource of kind
/// <c>Application</c>. The plural is not <c>applications</c>, nor are <c>app</c> or <c>apps</c> short names:
/// Argo CD's <c>applications.argoproj.io</c> serves those in a great many clusters, and its users get
/// both with plain kubectl. Items are named <c>{form}.{name}</c> (<c>helm.cart</c>).
/// </summary>
internal sealed class ApplicationEndpoints(ClusterCache cache, ApplicationAnswers answers, ApplicationWatch watch, TimeProvider time,
    ApplicationHistory history, ApplicationConnections connections)
{
    public const string Resource = "appinstances";
    public const string Singular = "appinstance";
    public static readonly string[] ShortNames = ["appi"];
    public static readonly string[] FieldLabels = ["metadata.name", "metadata.namespace", "source", "status.ready"];

    public static void Map(IEndpointRouteBuilder routes)
    {
        var prefix = KubeDiscoveryApi.Prefix;
        routes.MapGet($"{prefix}/{Resource}", c => Get(c).List(c, null));
        routes.MapGet($"{prefix}/namespaces/{{namespace}}/{Resource}", c => Get(c).List(c, Route(c, "namespace")));
        routes.MapGet($"{prefix}/namespaces/{{namespace}}/{Resource}/{{name}}", c => Get(c).Item(c, Route(c, "namespace"), Route(c, "name")));
        routes.MapGet($"{prefix}/namespaces/{{namespace}}/{Resource}/{{name}}/{ApplicationConnections.Subresource}", c => Get(c).Connections(c, Route(c, "namespace"), Route(c, "name")));
        routes.MapGet($"{prefix}/namespaces/{{namespace}}/{Resource}/{{name}}/{ApplicationHistory.Subresource}", c => Get(c).Changes(c, Route(c, "namespace"), Route(c, "name")));
    }

    private async Task Connections(HttpContext context, string ns, string name)
    {
        if (!AcceptHeader.Allows(context.Request, "application/json"))
        {
            await StatusErrors.NotAcceptable(context, "application/json");
            return;
        }
        if (!cache.HasSynced)
        {
            await StatusErrors.NotSynced(context);
            return;
        }
        if (await FindAsync(context, ns, name) is { } app) await connections.WriteAsync(context, app);
    }

    private Task Changes(HttpContext context, string ns, string name) => History.HistoryGuard.RunAsync(context, async () =>
    {
        var q = context.Request.Query;
        if (!History.HistoryQuery.TryReadSince(q, time.GetUtcNow(), out var since, out var error)
            || !QueryLimit.TryRead(q, 1000, History.HistoryQuery.MaxLimit, out var limit, out error))
        {
            await StatusErrors.BadRequest(context, error);
            return;
        }
        if (!cache.HasSynced)
        {
            await StatusErrors.NotSynced(context);
            return;
        }
        if (await FindAsync(context, ns, name) is { } app) await history.ChangesAsync(context, app, since, limit);
    });

    private static ApplicationEndpoints Get(HttpContext context) => context.RequestServices.GetRequiredService<ApplicationEndpoints>();

    private static string Route(HttpContext context, string key) => (string)context.Request.RouteValues[key]!;

    private static GroupResource Named => new(KubeDiscoveryApi.Name, Resource);

    private async Task List(HttpContext context, string? ns)
    {
        if (await Preamble(context) is not { } query) return;
        var q = context.Request.Query;
        LabelSelector labels;
        FieldSelector fields;
        try
        {
            labels = LabelSelector.Parse(q["labelSelector"].ToString());
            fields = FieldSelector.Parse(q["fieldSelector"].ToString(), FieldLabels);
        }
        catch (FormatException e)
        {
            await StatusErrors.BadRequest(context, e.Message);
            return;
        }
        if (!WatchQuery.TryRead(q, out var watchQuery, out var watchError))
        {
            await StatusErrors.BadRequest(context, watchError);
            return;
        }
        bool Matches(ApplicationSummary app) => labels.Matches(app.Labels) && fields.Matches(f => FieldValue(app, f));
        if (watchQuery.Watch)
        {
            await watch.RunAsync(context, watchQuery, ns, Matches, query.Table, query.Include);
            return;
        }
        var user = context.GetKubernetesUser();
        var answer = await answers.BuildAsync(user, ApplicationTopology.List(cache.Index, ns), withTrees: false, withUids: history.Enabled, context.RequestAborted);
        var shown = answer.Apps.Where(Matches).ToList();
        if (answer.Cut) context.Response.Headers.Append("Warning", CutWarning);
        var changes = await history.LastChangesAsync(answer.Uids, context.RequestAborted);
        var rv = cache.Index.Generation.ToString(CultureInfo.InvariantCulture);
        if (query.Table)
        {
            await JsonAnswers.WriteAsync(context, w => ApplicationTableWriter.Write(w, shown, rv, query.Include, time.GetUtcNow(), a => Changed(changes, a.Key)));
            return;
        }
        await JsonAnswers.WriteListAsync(context, shown,
            w => CompositionJsonWriter.WriteNamedListStart(w, ApplicationJsonWriter.ListKind, rv, null, null),
            (w, app) => ApplicationJsonWriter.WriteItem(w, app, rv, withMembers: false, Changed(changes, app.Key), null),
            CompositionJsonWriter.WriteListEnd);
    }

    private async Task Item(HttpContext context, string ns, string name)
    {
        if (!CompositionQuery.TryReadFormat(context.Request.Query, out var format, out var formatError))
        {
            await StatusErrors.BadRequest(context, formatError);
            return;
        }
        if (format != CompositionFormat.Json)
        {
            // An application drawn as compositions are: its members' trees, one after another.
            if (!AcceptHeader.Allows(context.Request, CompositionQuery.MediaType(format)))
            {
                await StatusErrors.NotAcceptable(context, CompositionQuery.MediaType(format));
                return;
            }
            if (!cache.HasSynced)
            {
                await StatusErrors.NotSynced(context);
                return;
            }
            if (await FindAsync(context, ns, name) is { } drawn) await CompositionQuery.WriteTextAsync(context, format, drawn.Trees, time.GetUtcNow());
            return;
        }
        if (await Preamble(context) is not { } query) return;
        if (WatchQuery.IsWatch(context.Request.Query))
        {
            await StatusErrors.BadRequest(context, $"watch a single application on the list, with fieldSelector=metadata.name={name} (what kubectl get {Singular} {name} -w sends)");
            return;
        }
        var found = await FindAsync(context, ns, name);
        if (found is null) return;
        var rv = cache.Index.Generation.ToString(CultureInfo.InvariantCulture);
        var changes = await history.LastChangesAsync(ApplicationHistory.Uids(found).Keys.ToDictionary(u => u, _ => found.Key), context.RequestAborted);
        if (query.Table)
        {
            await JsonAnswers.WriteAsync(context, w => ApplicationTableWriter.Write(w, [found], rv, query.Include, time.GetUtcNow(), a => Changed(changes, a.Key)));
            return;
        }
        var apps = cache.Index.Applications;
        await JsonAnswers.WriteAsync(context, w => ApplicationJsonWriter.WriteItem(w, found, rv, withMembers: true, Changed(changes, found.Key),
            r => apps.ClaimsOf(r).Skip(1).Where(k => k != found.Key).ToList()));
    }

    /// <summary>
    /// The application named <paramref name="name"/> in <paramref name="ns"/> as the user sees it, or null
    /// after answering 404 (the same whether it does not exist or the user may read none of it).
    /// </summary>
    internal async Task<ApplicationSummary?> FindAsync(HttpContext context, string ns, string name)
    {
        var index = cache.Index;
        if (!AppKey.TryParse(name, ns, out var key) || !ApplicationTopology.Exists(index, key))
        {
            await StatusErrors.NotFound(context, Named, name, await HintAsync(context, ns, name));
            return null;
        }
        List<(AppKey, AppKey?)> keys = [(key, ApplicationTopology.ParentOf(index, key))];
        foreach (var child in ApplicationTopology.ChildrenOf(index, key)) keys.Add((child, key));
        var answer = await answers.BuildAsync(context.GetKubernetesUser(), keys, withTrees: true, withUids: false, context.RequestAborted);
        if (answer.Cut) context.Response.Headers.Append("Warning", CutWarning);
        var found = answer.Apps.FirstOrDefault(a => a.Key == key);
        if (found is null) await StatusErrors.NotFound(context, Named, name, await HintAsync(context, ns, name));
        return found;
    }

    // For a bare name (cart), the applications the user may see that it could mean (helm.cart, instance.cart).
    private async Task<string> HintAsync(HttpContext context, string ns, string name)
    {
        if (name.Contains('.', StringComparison.Ordinal)) return "";
        var candidates = ApplicationTopology.List(cache.Index, ns).Where(a => a.Key.Name == name).ToList();
        if (candidates.Count == 0) return $": item names are form.name, such as helm.{name} or instance.{name}";
        var apps = (await answers.BuildAsync(context.GetKubernetesUser(), candidates, withTrees: false, withUids: false, context.RequestAborted)).Apps;
        return apps.Count == 0
            ? $": item names are form.name, such as helm.{name} or instance.{name}"
            : $": item names are form.name; did you mean {string.Join(" or ", apps.Select(a => a.Key.ItemName))}?";
    }

    private static DateTimeOffset? Changed(Dictionary<AppKey, DateTimeOffset> changes, AppKey key) => changes.TryGetValue(key, out var at) ? at : null;

    internal const string CutWarning = "299 - \"the answer was cut at its node budget: ask for one namespace or one application\"";

    private static string? FieldValue(ApplicationSummary app, string field) => field switch
    {
        "metadata.name" => app.Key.ItemName,
        "metadata.namespace" => app.Key.Namespace,
        "source" => app.Key.SourceName,
        "status.ready" => app.Ready switch { ReadyState.True => "True", ReadyState.False => "False", _ => "Unknown" },
        _ => null,
    };

    private async Task<Query?> Preamble(HttpContext context)
    {
        if (!IncludeObjectQuery.TryRead(context.Request.Query, out var include, out var error))
        {
            await StatusErrors.BadRequest(context, error);
            return null;
        }
        var table = AcceptHeader.WantsTable(context.Request);
        if (!table && !AcceptHeader.Allows(context.Request, "application/json"))
        {
            await StatusErrors.NotAcceptable(context, "application/json");
            return null;
        }
        if (!cache.HasSynced)
        {
            await StatusErrors.NotSynced(context);
            return null;
        }
        return new Query(table, include);
    }

    internal sealed record Query(bool Table, IncludeObject Include);
}
