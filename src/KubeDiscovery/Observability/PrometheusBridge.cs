using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Prometheus;

namespace KubeDiscovery.Observability;

/// <summary>
/// Shows one <see cref="Meter"/> on <c>/metrics</c> through a prometheus-net registry of its own. Hand-written
/// because prometheus-net's <c>MeterAdapter</c> publishes every counter as a gauge, prefixes each name with
/// the meter's, and drops series that have not moved for five minutes — which breaks <c>rate()</c> and the
/// kube-apiserver names operators' dashboards already use. Here counters stay counters, histograms keep the
/// buckets their instrument advises, names are the instruments' own, and an observable gauge's series that
/// its callback no longer reports (a resource that went away) are removed at the next scrape.
/// </summary>
internal sealed class PrometheusBridge : IDisposable
{
    private readonly Meter _meter;
    private readonly MeterListener _listener = new();
    private readonly MetricFactory _factory;
    private readonly ConcurrentDictionary<Instrument, Exported> _exported = new();
    private readonly Lock _scrape = new();

    public PrometheusBridge(Meter meter, bool processMetrics = true)
    {
        _meter = meter;
        Registry = Metrics.NewCustomRegistry();
        _factory = Metrics.WithCustomRegistry(Registry);
        // process_resident_memory_bytes and friends: what operators compare with kube-apiserver's.
        if (processMetrics) DotNetStats.Register(Registry);

        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, _meter)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
        Registry.AddBeforeCollectCallback(CollectObservables);
    }

    public CollectorRegistry Registry { get; }

    public void Dispose() => _listener.Dispose();

    private void CollectObservables()
    {
        lock (_scrape)
        {
            foreach (var exported in _exported.Values) exported.Seen?.Clear();
            _listener.RecordObservableInstruments();
            foreach (var exported in _exported.Values) exported.RemoveUnseen();
        }
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // The first measurement names the labels; prometheus-net's factory returns the same collector if two race.
        if (!_exported.TryGetValue(instrument, out var exported))
        {
            exported = _exported.GetOrAdd(instrument, Create(instrument, tags.ToArray()));
        }
        var values = exported.Values(tags);
        switch (exported.Collector)
        {
            case Counter counter when instrument.IsObservable:
                counter.WithLabels(values).IncTo(value); // an observable counter reports its running total
                break;
            case Counter counter:
                counter.WithLabels(values).Inc(value);
                break;
            case Histogram histogram:
                histogram.WithLabels(values).Observe(value);
                break;
            case Gauge gauge:
                gauge.WithLabels(values).Set(value);
                exported.Seen?.Add(string.Join('\u0001', values));
                break;
        }
    }

    private Exported Create(Instrument instrument, KeyValuePair<string, object?>[] tags)
    {
        var labelNames = tags.Select(t => t.Key).Order(StringComparer.Ordinal).ToArray();
        var help = instrument.Description ?? instrument.Name;
        Collector collector = instrument switch
        {
            Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long>
                => _factory.CreateCounter(instrument.Name, help, labelNames),
            Histogram<double> h => _factory.CreateHistogram(instrument.Name, help, labelNames,
                new HistogramConfiguration { Buckets = h.Advice?.HistogramBucketBoundaries?.ToArray() ?? Histogram.ExponentialBuckets(0.001, 2, 16) }),
            _ => _factory.CreateGauge(instrument.Name, help, labelNames),
        };
        return new Exported(collector, labelNames, instrument.IsObservable && collector is Gauge ? [] : null);
    }

    private sealed class Exported(Collector collector, string[] labelNames, HashSet<string>? seen)
    {
        public Collector Collector { get; } = collector;

        /// <summary>For an observable gauge: the label values its callback reported this scrape.</summary>
        public HashSet<string>? Seen { get; } = seen;

        public string[] Values(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var values = new string[labelNames.Length];
            for (var i = 0; i < labelNames.Length; i++) values[i] = "";
            foreach (var tag in tags)
            {
                var index = Array.IndexOf(labelNames, tag.Key);
                if (index >= 0) values[index] = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "";
            }
            return values;
        }

        public void RemoveUnseen()
        {
            if (Seen is null || Collector is not Gauge gauge) return;
            foreach (var labels in gauge.GetAllLabelValues().ToList())
            {
                if (!Seen.Contains(string.Join('\u0001', labels))) gauge.RemoveLabelled(labels);
            }
        }
    }
}
