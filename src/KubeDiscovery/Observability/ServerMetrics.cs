using System.Diagnostics;
using System.Diagnostics.Metrics;
using KubeDiscovery.Graph;
using KubeDiscovery.Sources.Live;

namespace KubeDiscovery.Observability;

/// <summary>
/// The server's instruments, on one <see cref="Meter"/> named <see cref="MeterName"/> made by the host's
/// <see cref="IMeterFactory"/> (so two servers in one process never share a counter). Request metrics
/// carry kube-apiserver's names and labels, so the dashboards and alerts written for it read these too.
/// </summary>
internal sealed class ServerMetrics
{
    public const string MeterName = "KubeDiscovery";

    // kube-apiserver's buckets for apiserver_request_duration_seconds.
    private static readonly double[] RequestBuckets = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _requestDuration;
    private long _inflight;

    public ServerMetrics(IMeterFactory meters, ClusterCache cache)
    {
        Meter = meters.Create(MeterName);
        _requests = Meter.CreateCounter<long>("apiserver_request_total",
            description: "Counter of apiserver requests broken out for each verb, API resource, subresource, scope and HTTP response code.");
        _requestDuration = Meter.CreateHistogram("apiserver_request_duration_seconds", "s",
            "Response latency distribution in seconds for each verb, API resource, subresource and scope.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RequestBuckets });
        Meter.CreateObservableGauge("apiserver_current_inflight_requests", () => new Measurement<long>(Volatile.Read(ref _inflight), new KeyValuePair<string, object?>("request_kind", "readOnly")),
            description: "Requests being answered (the scrape's own included); an abandoned one leaves when its work stops, not when its client goes.");
        Meter.CreateObservableGauge("kubediscovery_objects", () => ObjectCounts(cache),
            description: "Objects in the index, per resource.");
        Meter.CreateObservableGauge("kubediscovery_index_synced", () => cache.HasSynced ? 1 : 0,
            description: "1 once every followed resource has been listed (readiness), else 0.");
        Source = new LiveSourceMetrics(Meter);
        var lookups = Meter.CreateCounter<long>("kubediscovery_review_cache_lookups_total",
            description: "Review cache lookups, by review (token, access) and result (hit, miss).");
        TokenReviews = new ReviewMetrics(Meter, lookups, "kubediscovery_token_reviews_total",
            "TokenReviews sent to kube-apiserver, by result (authenticated, unauthenticated, error).", "token");
        AccessReviews = new ReviewMetrics(Meter, lookups, "kubediscovery_subject_access_reviews_total",
            "SubjectAccessReviews sent to kube-apiserver, by result (allowed, denied, error).", "access");
    }

    public Meter Meter { get; }

    /// <summary>The recorder's instruments, read from it at each scrape.</summary>
    public void ObserveHistory(KubeDiscovery.History.Recording.HistoryRecorder recorder, Func<bool> storeOpen)
    {
        Meter.CreateObservableGauge("kubediscovery_history_queue_length", () => recorder.Queued,
            description: "Observed changes waiting to be written to the history database (the recording lag, in items).");
        Meter.CreateObservableGauge("kubediscovery_history_store_up", () => storeOpen() && recorder.StoreAnswering ? 1 : 0,
            description: "1 while the history database is open and accepting writes, else 0.");
        Meter.CreateObservableCounter("kubediscovery_history_versions_written_total", () => recorder.Written,
            description: "Versions written to the history database.");
        Meter.CreateObservableCounter("kubediscovery_history_changes_dropped_total", () => recorder.Dropped,
            description: "Changes dropped because the recording queue was full; each span is recorded as a gap.");
        Meter.CreateObservableCounter("kubediscovery_history_write_failures_total", () => recorder.Failures,
            description: "Batches the history database refused (each is retried).");
    }

    public LiveSourceMetrics Source { get; }

    public ReviewMetrics TokenReviews { get; }

    public ReviewMetrics AccessReviews { get; }

    public void RequestStarted() => Interlocked.Increment(ref _inflight);

    public void RequestDone(in RequestLabels labels, int code, TimeSpan took)
    {
        Interlocked.Decrement(ref _inflight);
        var tags = new TagList
        {
            { "verb", labels.Verb }, { "group", labels.Group }, { "version", labels.Version },
            { "resource", labels.Resource }, { "subresource", labels.Subresource }, { "scope", labels.Scope },
        };
        _requestDuration.Record(took.TotalSeconds, tags);
        tags.Add("code", CodeText(code));
        _requests.Add(1, tags);
    }

    private static IEnumerable<Measurement<long>> ObjectCounts(ClusterCache cache)
    {
        foreach (var (resource, count) in cache.Index.CountsByResource())
        {
            yield return new Measurement<long>(count, new KeyValuePair<string, object?>("group", resource.Group), new KeyValuePair<string, object?>("resource", resource.Resource));
        }
    }

    // Status codes are a small fixed set; no string is made per request.
    private static readonly string[] Codes = Enumerable.Range(0, 600).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private static string CodeText(int code) => code is >= 0 and < 600 ? Codes[code] : "other";
}

/// <summary>The labels of one request, bounded: only names this server knows become label values.</summary>
internal readonly record struct RequestLabels(string Verb, string Group, string Version, string Resource, string Subresource, string Scope);

/// <summary>One kind of review's calls and its cache's hits and misses.</summary>
internal sealed class ReviewMetrics
{
    private readonly Counter<long> _reviews;
    private readonly Counter<long> _lookups;
    private readonly string _review;
    private long _hits;
    private long _misses;

    public ReviewMetrics(Meter meter, Counter<long> lookups, string name, string description, string review)
    {
        _review = review;
        _reviews = meter.CreateCounter<long>(name, description: description);
        _lookups = lookups;
        meter.CreateObservableGauge($"kubediscovery_{review}_review_cache_hit_ratio", HitRatio,
            description: $"Share of {review} review lookups answered from the cache since start (0 to 1).");
    }

    public void Sent(string result) => _reviews.Add(1, new KeyValuePair<string, object?>("result", result));

    public void Hit()
    {
        Interlocked.Increment(ref _hits);
        _lookups.Add(1, new KeyValuePair<string, object?>("review", _review), new KeyValuePair<string, object?>("result", "hit"));
    }

    public void Miss()
    {
        Interlocked.Increment(ref _misses);
        _lookups.Add(1, new KeyValuePair<string, object?>("review", _review), new KeyValuePair<string, object?>("result", "miss"));
    }

    private double HitRatio()
    {
        var hits = Interlocked.Read(ref _hits);
        var total = hits + Interlocked.Read(ref _misses);
        return total == 0 ? 0 : (double)hits / total;
    }
}
