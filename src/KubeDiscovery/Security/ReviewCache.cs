using System.Collections.Concurrent;

namespace KubeDiscovery.Security;

/// <summary>
/// Caches the answers of TokenReviews and SubjectAccessReviews for a fixed time, as kube-apiserver's
/// delegating authenticator and authorizer do (10 s by default). Concurrent lookups of one key share
/// one review; errors are never cached, so the next request tries again.
/// </summary>
internal sealed class ReviewCache<TResult>
{
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<TResult>>> _inFlight = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly Func<TResult, TimeSpan> _lifetime;

    /// <param name="lifetime">How long an answer is kept; zero does not cache it.</param>
    public ReviewCache(TimeProvider time, Func<TResult, TimeSpan> lifetime)
    {
        _time = time;
        _lifetime = lifetime;
    }

    public int Count => _entries.Count;

    public async ValueTask<TResult> GetOrReviewAsync(string key, Func<CancellationToken, Task<TResult>> review, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Until > _time.GetUtcNow()) return entry.Result;

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
            if (lifetime > TimeSpan.Zero)
            {
                if (_entries.Count >= MaxEntries) Trim();
                _entries[key] = new Entry(result, _time.GetUtcNow() + lifetime);
            }
            return result;
        }
        finally
        {
            _inFlight.TryRemove(key, out _);
        }
    }

    private void Trim()
    {
        var now = _time.GetUtcNow();
        foreach (var (key, entry) in _entries)
        {
            if (entry.Until <= now) _entries.TryRemove(key, out _);
        }
        if (_entries.Count >= MaxEntries) _entries.Clear();
    }

    private sealed record Entry(TResult Result, DateTimeOffset Until);
}
