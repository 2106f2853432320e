using System.Globalization;
using System.Text.Json;
using KubeDiscovery.Api.Compositions;
using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Applications;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Rendering;
using KubeDiscovery.Security;
using static KubeDiscovery.Rendering.CompositionTableWriter;

namespace KubeDiscovery.Api.Applications;

/// <summary>
/// <c>kubectl get appinstances -w</c>: a row when an application's health, revision, membership or
/// cause changes. Each index change is followed up its owners to the object nothing owns, whose claim
/// names the application; only those applications are built again, and an event is sent only when what
/// the user sees of one changed. <c>resourceVersion</c> is the index generation, as for compositions.
/// </summary>
internal sealed class ApplicationWatch(ClusterCache cache, ApplicationAnswers answers, TimeProvider time, Hosting.ShutdownGate shutdown)
{
    private static readonly TimeSpan BookmarkInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);

    public async Task RunAsync(HttpContext context, WatchQuery query, string? ns, Func<ApplicationSummary, bool> matches, bool table, IncludeObject include)
    {
        WatchEvents.KeepSlowReaders(context);
        var index = cache.Index;
        var response = context.Response;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-cache, private";
        using var ended = new CancellationTokenSource(query.Timeout ?? DefaultTimeout, time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, ended.Token, shutdown.Closing);
        var user = context.GetKubernetesUser();
        var known = new Dictionary<AppKey, string>(); // what the client holds: the fingerprint of each application it was sent

        long cursor;
        if (query.ResourceVersion is null or 0)
        {
            cursor = index.Generation;
            await WatchEvents.StartAsync(response, stop.Token);
            await SendAsync(ApplicationTopology.List(index, ns));
        }
        else
        {
            cursor = query.ResourceVersion.Value;
            if (!index.Changes.Covers(cursor) || cursor > index.Generation)
            {
                await response.StartAsync(stop.Token);
                var rvText = cursor.ToString(CultureInfo.InvariantCulture);
                await WatchEvents.WriteAsync(context, "ERROR", w => WatchEvents.Gone(w, $"too old resource version: {rvText}"), stop.Token);
                return;
            }
            // The client listed at this version: it holds today's applications, as the best estimate — but not
            // necessarily as they are now (a change may have come between its list and this watch), so the
            // first change of each is always sent.
            var listed = await answers.BuildAsync(user, ApplicationTopology.List(index, ns), withTrees: false, withUids: false, stop.Token);
            foreach (var app in listed.Apps.Where(matches)) known[app.Key] = "";
            await WatchEvents.StartAsync(response, stop.Token);
        }

        List<(ObjectRecord? Before, ObjectRecord? After)> changes = [];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                if (query.Bookmarks) tick.CancelAfter(BookmarkInterval);
                try
                {
                    await index.Changes.WaitAsync(cursor, () => index.Generation, tick.Token);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    var at = cursor;
                    await WatchEvents.WriteAsync(context, "BOOKMARK", w => WatchEvents.Bookmark(w, ApplicationJsonWriter.Kind, at), stop.Token);
                    continue;
                }
                var upTo = index.Generation;
                changes.Clear();
                if (!index.Changes.TryRead(cursor, upTo, changes))
                {
                    var lost = cursor.ToString(CultureInfo.InvariantCulture);
                    await WatchEvents.WriteAsync(context, "ERROR", w => WatchEvents.Gone(w, $"too old resource version: {lost}"), stop.Token);
                    return;
                }
                cursor = upTo;
                var affected = Affected(changes, ns);
                if (affected.Count == 0) continue;
                await SendAsync(affected.Select(k => (k, ApplicationTopology.ParentOf(index, k))).ToList());
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client went away, or the watch reached its timeout: end the stream normally.
        }

        async Task SendAsync(List<(AppKey Key, AppKey? Parent)> keys)
        {
            var apps = (await answers.BuildAsync(user, keys, withTrees: false, withUids: false, stop.Token)).Apps;
            var rv = cursor.ToString(CultureInfo.InvariantCulture);
            var now = time.GetUtcNow();
            var shown = new HashSet<AppKey>();
            foreach (var app in apps)
            {
                if (!matches(app)) continue;
                shown.Add(app.Key);
                var fingerprint = Fingerprint(app);
                var had = known.TryGetValue(app.Key, out var before);
                if (had && before == fingerprint) continue;
                known[app.Key] = fingerprint;
                await WatchEvents.WriteAsync(context, had ? "MODIFIED" : "ADDED", w => Write(w, app, rv, now), stop.Token);
            }
            foreach (var (key, _) in keys)
            {
                if (!shown.Contains(key) && known.Remove(key))
                {
                    await WatchEvents.WriteAsync(context, "DELETED", w => Deleted(w, key, rv), stop.Token);
                }
            }
        }

        void Write(Utf8JsonWriter w, ApplicationSummary app, string rv, DateTimeOffset now)
        {
            if (table) ApplicationTableWriter.Write(w, [app], rv, include, now, _ => null);
            else ApplicationJsonWriter.WriteItem(w, app, rv, withMembers: false, null, null);
        }
    }

    // What a row shows: a change to anything else (a Pod's IP) sends nothing.
    private static string Fingerprint(ApplicationSummary app) => string.Join('|',
        app.Ready, app.Status, app.Revision, app.ReadyMembers, app.MembersWithStatus, app.Members.Count, app.Objects, app.Hidden,
        app.Causes.Count > 0 ? CompositionJsonWriter.CauseLine(app.Causes[0]) : "", app.Parent?.ItemName, string.Join(',', app.Children.Select(c => c.ItemName)));

    /// <summary>The applications a set of changes touched: each changed object's top owner's claim, before and after, and the application it is the root or a release record of.</summary>
    private HashSet<AppKey> Affected(List<(ObjectRecord? Before, ObjectRecord? After)> changes, string? ns)
    {
        var index = cache.Index;
        var affected = new HashSet<AppKey>();
        foreach (var (before, after) in changes)
        {
            affected.UnionWith(ApplicationTopology.Touched(index, before));
            affected.UnionWith(ApplicationTopology.Touched(index, after));
        }
        // A parent's rollup moves with its children's: it is built again, with all of them (unchanged ones send nothing).
        foreach (var key in affected.ToList())
        {
            if (ApplicationTopology.ParentOf(index, key) is { } parent && affected.Add(parent))
            {
                foreach (var child in ApplicationTopology.ChildrenOf(index, parent)) affected.Add(child);
            }
        }
        if (ns is not null) affected.RemoveWhere(k => k.Namespace != ns);
        return affected;
    }

    private static void Deleted(Utf8JsonWriter w, AppKey key, string rv)
    {
        w.WriteStartObject();
        w.WriteString("apiVersion", KubeDiscoveryApi.GroupVersion);
        w.WriteString("kind", ApplicationJsonWriter.Kind);
        w.WriteStartObject("metadata");
        w.WriteString("name", key.ItemName);
        w.WriteString("namespace", key.Namespace);
        w.WriteString("uid", ApplicationJsonWriter.UidOf(key));
        w.WriteString("resourceVersion", rv);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
