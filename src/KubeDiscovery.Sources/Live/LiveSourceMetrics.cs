using System.Diagnostics;
using System.Diagnostics.Metrics;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Sources.Live;

/// <summary>
/// What the reflectors do, per resource, as instruments on the server's <see cref="Meter"/>. Names follow
/// Prometheus conventions because <c>/metrics</c> shows them as they are; labels are <c>group</c> and
/// <c>resource</c>, as kube-apiserver's own metrics spell them.
/// </summary>
public sealed class LiveSourceMetrics
{
    // Watch events are applied in microseconds; a lag in seconds means a stalled writer.
    private static readonly double[] LagBuckets = [0.000_01, 0.000_05, 0.000_1, 0.000_5, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];
    private static readonly double[] SyncBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private readonly Counter<long> _lists;
    private readonly Counter<long> _relists;
    private readonly Counter<long> _watches;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _events;
    private readonly Histogram<double> _eventLag;
    private readonly Histogram<double> _firstSync;

    public LiveSourceMetrics(Meter meter)
    {
        _lists = meter.CreateCounter<long>("kubediscovery_reflector_lists_total", description: "Full LISTs of a resource (the first, and each after 410 Gone or a changed extraction plan).");
        _relists = meter.CreateCounter<long>("kubediscovery_reflector_relists_total", description: "LISTs started again because kube-apiserver no longer had the history a watch or continue token needed (410 Gone).");
        _watches = meter.CreateCounter<long>("kubediscovery_reflector_watches_total", description: "WATCH requests opened (each resume after a normal end or a failure counts).");
        _failures = meter.CreateCounter<long>("kubediscovery_reflector_failures_total", description: "LISTs and WATCHes that failed and were retried after a backoff.");
        _events = meter.CreateCounter<long>("kubediscovery_watch_events_total", description: "Watch events applied to the index, by type (ADDED, MODIFIED, DELETED, BOOKMARK).");
        _eventLag = meter.CreateHistogram("kubediscovery_watch_event_lag_seconds", "s",
            "Time from a watch event being read to its change being visible in the index.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LagBuckets });
        _firstSync = meter.CreateHistogram("kubediscovery_reflector_first_sync_duration_seconds", "s",
            "Time from a reflector's start to its first full LIST applied to the index.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SyncBuckets });
    }

    internal void Listed(ResourceType type) => _lists.Add(1, Tags(type));

    internal void Relisted(ResourceType type) => _relists.Add(1, Tags(type));

    internal void WatchOpened(ResourceType type) => _watches.Add(1, Tags(type));

    internal void Failed(ResourceType type) => _failures.Add(1, Tags(type));

    internal void EventApplied(ResourceType type, string eventType, TimeSpan lag)
    {
        _events.Add(1, new("group", type.Group), new("resource", type.Plural), new("type", eventType));
        _eventLag.Record(lag.TotalSeconds, Tags(type));
    }

    internal void FirstSynced(ResourceType type, TimeSpan took) => _firstSync.Record(took.TotalSeconds, Tags(type));

    private static TagList Tags(ResourceType type) => new() { { "group", type.Group }, { "resource", type.Plural } };
}
