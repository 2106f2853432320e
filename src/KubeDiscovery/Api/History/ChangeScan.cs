using KubeDiscovery.History.Storage;

namespace KubeDiscovery.Api.History;

/// <summary>
/// Reads a window of changes newest first, in batches, keeping what the caller may see (RBAC, then
/// <c>manager</c>), until one more than <c>limit</c> is kept — so the limit and its Warning count only
/// visible changes, and exactly <c>limit</c> is no cut — or the window ends. The rows read are bounded per
/// answer (<see cref="ScanBudget"/>) and the request's cancellation stops it between batches.
/// </summary>
internal static class ChangeScan
{
    /// <summary>Rows one answer reads at most, visible or not.</summary>
    public const int ScanBudget = 200_000;

    private const int MinBatch = 256;
    private const int MaxBatch = 4096;

    /// <summary>What <c>via</c> calls an object that left a tree or an application and is no longer in the index.</summary>
    public const string Departed = "departed";

    /// <summary>
    /// The keep step of an answer about objects the user was found to see (<paramref name="via"/>) and objects
    /// that departed: a departed object's rows only where the user may read its kind and namespace.
    /// </summary>
    public static Func<List<StoredVersion>, CancellationToken, ValueTask<IEnumerable<StoredVersion>>> KeepDeparted(
        Security.Authorization.CompositionFilter filter, Security.Authentication.UserInfo user, IReadOnlyDictionary<string, string> via) => async (rows, ct) =>
    {
        if (!rows.Any(r => via.GetValueOrDefault(r.Version.Uid) == Departed)) return rows;
        var visible = await filter.ScopesAsync(user, rows.Select(r => (r.Version.Group, r.Version.Resource, r.Version.Namespace ?? "")), ct);
        return rows.Where(r => via.GetValueOrDefault(r.Version.Uid) != Departed || visible is null || visible(r.Version.Group, r.Version.Resource, r.Version.Namespace ?? ""));
    };

    /// <param name="keep">Of a batch (newest first), what the user may see, in the same order.</param>
    public static async Task<Result> RunAsync(IHistoryStore store, ChangeQuery query, int limit,
        Func<List<StoredVersion>, CancellationToken, ValueTask<IEnumerable<StoredVersion>>> keep, CancellationToken cancellationToken)
    {
        List<StoredVersion> kept = [];
        var read = 0;
        var batch = Math.Clamp(limit + 1, MinBatch, MaxBatch);
        ChangeCursor? before = null;
        while (true)
        {
            var rows = await store.ChangesAsync(query with { Before = before, Limit = batch }, cancellationToken).ConfigureAwait(false);
            rows.Reverse(); // the store answers oldest first
            read += rows.Count;
            foreach (var row in await keep(rows, cancellationToken).ConfigureAwait(false))
            {
                if (kept.Count == limit) return new Result(Oldest(kept), More: true, Stopped: false);
                kept.Add(row);
            }
            if (rows.Count < batch) return new Result(Oldest(kept), More: false, Stopped: false);
            if (read >= ScanBudget) return new Result(Oldest(kept), More: false, Stopped: true);
            before = ChangeCursor.Of(rows[^1]);
            batch = Math.Min(MaxBatch, batch * 2);
        }
    }

    /// <summary>
    /// One page of a list, oldest first, after <see cref="ChangeQuery.After"/>: at most <paramref name="limit"/>
    /// visible changes, and where the next page starts when more may follow — after the last one kept when one
    /// more visible change was seen, or after the last row read when the scan budget ran out first (a short
    /// page with a continue, as kube-apiserver may give).
    /// </summary>
    public static async Task<Page> ForwardAsync(IHistoryStore store, ChangeQuery query, int limit,
        Func<List<StoredVersion>, CancellationToken, ValueTask<IEnumerable<StoredVersion>>> keep, CancellationToken cancellationToken)
    {
        List<StoredVersion> kept = [];
        var read = 0;
        var batch = Math.Clamp(limit + 1, MinBatch, MaxBatch);
        var after = query.After;
        while (true)
        {
            var rows = await store.ChangesAsync(query with { Order = ChangeOrder.OldestFirst, After = after, Limit = batch }, cancellationToken).ConfigureAwait(false);
            read += rows.Count;
            foreach (var row in await keep(rows, cancellationToken).ConfigureAwait(false))
            {
                if (kept.Count == limit) return new Page(kept, ChangeCursor.Of(kept[^1]));
                kept.Add(row);
            }
            if (rows.Count < batch) return new Page(kept, null);
            after = ChangeCursor.Of(rows[^1]);
            if (read >= ScanBudget) return new Page(kept, after);
            batch = Math.Min(MaxBatch, batch * 2);
        }
    }

    /// <param name="Items">The page, oldest first.</param>
    /// <param name="Next">Where the next page starts; null when the window ends here.</param>
    public sealed record Page(List<StoredVersion> Items, ChangeCursor? Next);

    private static List<StoredVersion> Oldest(List<StoredVersion> newestFirst)
    {
        newestFirst.Reverse();
        return newestFirst;
    }

    /// <param name="Items">What to answer, oldest first.</param>
    /// <param name="More">More visible changes in the window than the limit.</param>
    /// <param name="Stopped">The scan budget ran out before the window's start.</param>
    public sealed record Result(List<StoredVersion> Items, bool More, bool Stopped)
    {
        /// <summary>The <c>Warning</c> for a cut answer, in terms of what the user may see only; null when whole.</summary>
        public string? Warning(int limit) =>
            More ? $"299 - \"only the newest {limit} changes are listed: ask a shorter ?since or a larger ?limit\""
            : Stopped ? "299 - \"the answer stopped at its budget before the start of the window: ask a shorter ?since, or name a ?resource or ?name\""
            : null;
    }
}
