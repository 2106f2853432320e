using System.Collections.Concurrent;
using BitFaster.Caching.Lru;

namespace KubeDiscovery.Security;

/// <summary>
/// Caches the answers of TokenReviews and SubjectAccessReviews for a fixed time, as kube-apiserver's
/// delegating authenticator and authorizer do (10 s by default). Concurrent lookups of one key share
/// one review; errors are never cached, so the next request tries again. Bounded: past
/// <see cref="MaxEntries"/> the least recently used answer goes, one at a time, so many distinct users
/// never empty the cache at once (a burst of reviews against kube-apiserver). Expiry is checked against
/// the <see cref="TimeProvider"/> on each read, so tests move one clock.
/// </summary>
internal sealed class ReviewCache<TResult>
{
    public const int MaxEntries = 10_000;

    private readonly ConcurrentLru<string, Entry> _entries = new(MaxEntries);
    private readonly ConcurrentDictionary<string, Lazy<Task<TResult>>> _inFlight = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly Func<TResult, TimeSpan> _lifetime;
    private readonly Observability.ReviewMetrics? _metrics;

    /// <param name="lifetime">How long an answer is kept; zero does not cache it.</param>
    /// <param name="metrics">Counts hits and misses (a miss sends a review or joins one in flight).</param>
    public ReviewCache(TimeProvider time, Func<TResult, TimeSpan> lifetime, Observability.ReviewMetrics? metrics = null)
    {
        _time = time;
        _lifetime = lifetime;
        _metrics = metrics;
    }

    public int Count => _entries.Count;

    public async ValueTask<TResult> GetOrReviewAsync(string key, Func<CancellationToken, Task<TResult>> review, CancellationToken cancellationToken)
    {
        if (_entries.TryGet(key, out var entry))
        {
            if (entry.Until > _time.GetUtcNow())
            {
                _metrics?.Hit();
                return entry.Result;
            }
            _entries.TryRemove(key);
        }
        _metrics?.Miss();

        // The review runs without the caller's token: other requests may be waiting on it.
        var lazy = _inFlight.GetOrAdd(key, k => new Lazy<Task<TResult>>(() => RunAsync(k, review)));
        return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<TResult> RunAsync(string key, Func<CancellationToken, Task<TResult>> review)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var result = await review(timeout.Token).ConfigureAwait(false);
            var lifetime = _lifetime(result);
            if (lifetime > TimeSpan.Zero) _entries.AddOrUpdate(key, new Entry(result, _time.GetUtcNow() + lifetime));
            return result;
        }
        finally
        {
            _inFlight.TryRemove(key, out _);
        }
    }

    private sealed record Entry(TResult Result, DateTimeOffset Until);
}
