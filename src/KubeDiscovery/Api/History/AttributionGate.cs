using System.Collections.Concurrent;
using KubeDiscovery.History.Recording;
using KubeDiscovery.History.Storage;

namespace KubeDiscovery.Api.History;

/// <summary>
/// What the audit webhook may claim. An attribution names a (uid, resourceVersion); stored as it came, a
/// writer allowed to post could claim versions that do not exist yet — every future resourceVersion of an
/// object — and a later write by someone else would then show the claimed author. So an attribution is
/// accepted only for a version this server has recorded, whose change fits the verb (create a creation,
/// delete a deletion, update or patch an update) and whose observed time is within <see cref="Window"/>
/// of the event's. An event dated in the future is refused; one for a version not recorded yet waits at
/// most <see cref="Window"/> (the watch may be behind the webhook), retried every second and on every
/// post, and is then dropped. A compromised writer can still name the wrong user for a write it sees
/// happen, within seconds, by guessing its resourceVersion — as it could by lying in any event — but it
/// cannot reserve the future, or rename writes long past.
/// </summary>
internal sealed class AttributionGate : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    /// <summary>How far an event may be ahead of this server's clock.</summary>
    public static readonly TimeSpan Skew = TimeSpan.FromSeconds(5);

    private const int MaxPending = 10_000;

    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Uid, string ResourceVersion), (Attribution Attribution, DateTimeOffset Received)> _pending = new();
    private readonly SemaphoreSlim _matching = new(1, 1);
    private readonly ITimer _retry;
    private IHistoryStore? _store;

    public AttributionGate(TimeProvider time)
    {
        _time = time;
        _retry = time.CreateTimer(_ => _ = RetryAsync(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Stores what matches a recorded version; keeps what may yet match; refuses the rest.</summary>
    public async Task<Outcome> SubmitAsync(IHistoryStore store, IReadOnlyList<Attribution> found, CancellationToken cancellationToken)
    {
        _store = store;
        var now = _time.GetUtcNow();
        var refused = 0;
        List<Attribution> candidates = [];
        foreach (var a in found)
        {
            if (a.At == default || a.At > now + Skew) refused++;
            else candidates.Add(a);
        }
        var (stored, unmatched) = await MatchAsync(store, candidates, cancellationToken).ConfigureAwait(false);
        var waiting = 0;
        foreach (var a in unmatched)
        {
            if (_pending.Count < MaxPending && _pending.TryAdd((a.Uid, a.ResourceVersion), (a, now))) waiting++;
            else refused++;
        }
        return new Outcome(candidates.Count - unmatched.Count, stored, waiting, refused);
    }

    private async Task RetryAsync()
    {
        if (_pending.IsEmpty || _store is not { } store) return;
        var now = _time.GetUtcNow();
        foreach (var (key, (_, received)) in _pending)
        {
            if (now - received > Window) _pending.TryRemove(key, out _);
        }
        try
        {
            var (_, unmatched) = await MatchAsync(store, _pending.Values.Select(p => p.Attribution).ToList(), CancellationToken.None).ConfigureAwait(false);
            var still = unmatched.Select(a => (a.Uid, a.ResourceVersion)).ToHashSet();
            foreach (var key in _pending.Keys) if (!still.Contains(key)) _pending.TryRemove(key, out _);
        }
        catch (Exception e) when (e is HistoryUnavailableException or InvalidOperationException or System.Data.Common.DbException)
        {
            // The store is away: the next tick tries again, until the window closes.
        }
    }

    /// <returns>How many were stored new, and those with no matching version yet.</returns>
    private async Task<(int Stored, List<Attribution> Unmatched)> MatchAsync(IHistoryStore store, List<Attribution> candidates, CancellationToken cancellationToken)
    {
        if (candidates.Count == 0) return (0, []);
        await _matching.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<Attribution> matched = [];
            List<Attribution> unmatched = [];
            foreach (var byUid in candidates.GroupBy(a => a.Uid, StringComparer.Ordinal))
            {
                var versions = await store.VersionsAsync(byUid.Key, int.MaxValue, cancellationToken).ConfigureAwait(false);
                foreach (var a in byUid)
                {
                    var version = versions.FirstOrDefault(v => v.Version.ResourceVersion == a.ResourceVersion && v.Version.Change != ChangeKind.Gap);
                    if (version is null) unmatched.Add(a);
                    else if (Fits(a, version.Version)) matched.Add(a);
                    else _pending.TryRemove((a.Uid, a.ResourceVersion), out _); // recorded, and not this: never
                }
            }
            var stored = matched.Count == 0 ? 0 : await store.AttributeAsync(matched, cancellationToken).ConfigureAwait(false);
            return (stored, unmatched);
        }
        finally
        {
            _matching.Release();
        }
    }

    private static bool Fits(Attribution a, VersionRecord version)
    {
        var verb = version.Change switch
        {
            ChangeKind.Created => a.Verb == "create" || a.Verb == "update" || a.Verb == "patch", // apply creates with patch
            ChangeKind.Deleted => a.Verb == "delete",
            _ => a.Verb is "update" or "patch",
        };
        return verb && (version.ObservedAt - a.At).Duration() <= Window;
    }

    public void Dispose()
    {
        _retry.Dispose();
        _matching.Dispose();
    }

    /// <param name="Matched">Attributions whose version was found and fits.</param>
    /// <param name="Stored">Of those, how many were new.</param>
    /// <param name="Waiting">For versions not recorded yet, kept a while.</param>
    /// <param name="Refused">From the future, or beyond what may wait.</param>
    public sealed record Outcome(int Matched, int Stored, int Waiting, int Refused);
}
