using System.Globalization;
using System.Text.Json;
using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Security;
using KubeDiscovery.Security.Authentication;

namespace KubeDiscovery.Api.Compositions;

/// <summary>
/// <c>?watch=true</c> on <c>compositions</c> and <c>clustercompositions</c>: <c>kubectl get compositions -w</c>.
/// A stream of <c>WatchEvent</c>s, one line each, whenever any node of a tree in scope changes: the whole
/// updated tree as <c>MODIFIED</c>, a new root as <c>ADDED</c>, a root that is gone (or now owned, or no
/// longer readable) as <c>DELETED</c>. Changes come from the index's <see cref="Graph.Index.ChangeLog"/>:
/// each changed object is followed up its owners to the roots it belongs to, and only those trees are
/// rebuilt — a burst of changes to one tree is one event. <c>resourceVersion</c> is the index generation:
/// a watch resumes after it, and one too old for the log gets an <c>ERROR</c> event with 410, as from
/// kube-apiserver, so kubectl lists again. Bookmarks when asked; ends at <c>timeoutSeconds</c>.
/// </summary>
internal sealed class CompositionWatch(ClusterCache cache, AccessControl security, CompositionOptions options, TimeProvider time, Hosting.ShutdownGate shutdown)
{
    private static readonly TimeSpan BookmarkInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);

    /// <param name="isItem">Whether an object is an item of this watch: a root in scope (listable resources), or an object of the kind asked for (subresources).</param>
    /// <param name="nameOf">An item's name in events.</param>
    /// <param name="write">Writes one event's object: the item (JSON) or a Table of its rows.</param>
    public async Task RunAsync(HttpContext context, WatchQuery query, UserInfo user, int? depth, Func<ObjectRecord, bool> isItem, Func<ObjectRecord, string> nameOf,
        Func<IReadOnlyList<ObjectRecord>> currentRoots, Action<Utf8JsonWriter, CompositionNode, string, string> write)
    {
        var bookmarks = query.Bookmarks;
        var timeout = query.Timeout ?? DefaultTimeout;
        WatchEvents.KeepSlowReaders(context);
        var index = cache.Index;
        var catalog = cache.Catalog;
        var response = context.Response;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-cache, private";

        using var ended = new CancellationTokenSource(timeout, time);
        // A stopping server ends its watches as their timeout would: the stream closes, the client watches again elsewhere.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, ended.Token, shutdown.Closing);
        var known = new Dictionary<string, string>(StringComparer.Ordinal); // root uid → item name the client holds
        long cursor;
        var rvText = query.ResourceVersion?.ToString(CultureInfo.InvariantCulture) ?? "";
        if (query.ResourceVersion is null or 0)
        {
            // No version: the current state first, as ADDED events.
            cursor = index.Generation;
            var roots = currentRoots();
            await WatchEvents.StartAsync(response, stop.Token);
            await SendTreesAsync(context, user, depth, roots, known, nameOf, write, cursor, stop.Token);
        }
        else
        {
            cursor = query.ResourceVersion.Value;
            if (!index.Changes.Covers(cursor) || cursor > index.Generation)
            {
                await response.StartAsync(stop.Token);
                await WatchEvents.WriteAsync(context, "ERROR", w => WatchEvents.Gone(w, $"too old resource version: {rvText}"), stop.Token);
                return;
            }
            // The client listed at this version: it holds the roots in scope then; take today's as the best estimate.
            foreach (var root in currentRoots()) known[root.Uid] = nameOf(root);
            await WatchEvents.StartAsync(response, stop.Token);
        }

        List<(ObjectRecord? Before, ObjectRecord? After)> changes = [];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                if (bookmarks) tick.CancelAfter(BookmarkInterval);
                try
                {
                    await index.Changes.WaitAsync(cursor, () => index.Generation, tick.Token);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    var at = cursor;
                    await WatchEvents.WriteAsync(context, "BOOKMARK", w => WatchEvents.Bookmark(w, "Composition", at), stop.Token);
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
                var affected = AffectedRoots(changes);
                cursor = upTo;
                if (affected.Count == 0) continue;

                List<ObjectRecord> present = [];
                foreach (var uid in affected)
                {
                    var current = index.FindByUid(uid);
                    if (current is not null && isItem(current)) present.Add(current);
                    else if (known.Remove(uid, out var name)) await WatchEvents.WriteAsync(context, "DELETED", w => Deleted(w, name, uid, cursor), stop.Token);
                }
                present.Sort(CompositionRoots.Order);
                await SendTreesAsync(context, user, depth, present, known, nameOf, write, cursor, stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client went away, or the watch reached its timeout: end the stream normally.
        }
    }

    /// <summary>Builds the trees the user may see and sends each as ADDED or MODIFIED; a root they may no longer see is DELETED.</summary>
    private async Task SendTreesAsync(HttpContext context, UserInfo user, int? depth, IReadOnlyList<ObjectRecord> roots,
        Dictionary<string, string> known, Func<ObjectRecord, string> nameOf, Action<Utf8JsonWriter, CompositionNode, string, string> write,
        long version, CancellationToken cancellationToken)
    {
        if (roots.Count == 0) return;
        var answer = await security.Filter.BuildAsync(user, cache.Index, roots, depth, options, cancellationToken);
        var shown = new HashSet<string>(StringComparer.Ordinal);
        var rv = version.ToString(CultureInfo.InvariantCulture);
        foreach (var tree in answer.Trees)
        {
            var uid = tree.Object.Uid;
            shown.Add(uid);
            var name = nameOf(tree.Object);
            var type = known.ContainsKey(uid) ? "MODIFIED" : "ADDED";
            known[uid] = name;
            await WatchEvents.WriteAsync(context, type, w => write(w, tree, name, rv), cancellationToken);
        }
        foreach (var root in roots)
        {
            if (!shown.Contains(root.Uid) && known.Remove(root.Uid, out var name))
            {
                await WatchEvents.WriteAsync(context, "DELETED", w => Deleted(w, name, root.Uid, version), cancellationToken);
            }
        }
    }

    /// <summary>
    /// Every object whose tree a set of changes touched: each changed object before and after, and its owners
    /// up to the top. Which of them are items is for the caller to say.
    /// </summary>
    private HashSet<string> AffectedRoots(List<(ObjectRecord? Before, ObjectRecord? After)> changes)
    {
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<(ObjectRecord Record, int Depth)>();
        foreach (var (before, after) in changes)
        {
            if (before is not null) pending.Push((before, 0));
            if (after is not null) pending.Push((after, 0));
            while (pending.Count > 0)
            {
                var (record, depth) = pending.Pop();
                // The object itself is affected too: it may have appeared, gone, or gained or lost an owner.
                if (!visited.Add(record.Uid) || depth >= options.DepthCap) continue;
                foreach (var owner in record.Owners)
                {
                    if (cache.Index.FindByUid(owner.Uid) is { } found && OwnershipRules.IsValidDependent(found, record)) pending.Push((found, depth + 1));
                }
            }
        }
        return visited;
    }

    private static void Deleted(Utf8JsonWriter w, string name, string uid, long version)
    {
        w.WriteStartObject();
        w.WriteString("apiVersion", KubeDiscoveryApi.GroupVersion);
        w.WriteString("kind", "Composition");
        w.WriteStartObject("metadata");
        w.WriteString("name", name);
        w.WriteString("uid", uid);
        w.WriteString("resourceVersion", version.ToString(CultureInfo.InvariantCulture));
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
