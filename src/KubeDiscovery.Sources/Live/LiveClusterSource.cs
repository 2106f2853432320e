using System.Threading.Channels;
using k8s;
using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Graph.Resources;
using Microsoft.Extensions.Logging;

namespace KubeDiscovery.Sources.Live;

/// <summary>
/// Follows a live cluster into a <see cref="ClusterCache"/>: discovers what the cluster serves, runs a
/// <see cref="Reflector"/> per followed resource, marks the cache synced once all have listed, and
/// re-discovers when CustomResourceDefinitions or APIServices change (and at a slow period), starting
/// and stopping reflectors as kinds come and go.
/// </summary>
public sealed class LiveClusterSource : IAsyncDisposable
{
    private static readonly GroupResource Crds = new("apiextensions.k8s.io", "customresourcedefinitions");
    private static readonly GroupResource ApiServices = new("apiregistration.k8s.io", "apiservices");

    private readonly IKubernetes _client;
    private readonly ClusterCache _cache;
    private readonly LiveSourceOptions _options;
    private readonly ResourceFilter _filter;
    private readonly TimeProvider _time;
    private readonly LiveSourceMetrics? _metrics;
    private readonly IObjectObserver? _observer;
    private readonly ClusterReachability _reachability;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly string _clusterDescription;
    private readonly ApiDiscovery _discovery;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<GroupResource, RunningReflector> _reflectors = [];
    private readonly Channel<bool> _rediscover = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _rediscoveryLoop = Task.CompletedTask;
    private Task _warnings = Task.CompletedTask;

    public LiveClusterSource(IKubernetes client, string clusterDescription, ClusterCache cache, LiveSourceOptions options, ILoggerFactory loggers,
        TimeProvider? time = null, LiveSourceMetrics? metrics = null, IObjectObserver? observer = null)
    {
        _observer = observer;
        _metrics = metrics;
        _time = time ?? TimeProvider.System;
        _client = client;
        _clusterDescription = clusterDescription;
        _cache = cache;
        _options = options;
        _filter = new ResourceFilter(options.Resources, options.ExcludeResources);
        _loggers = loggers;
        _logger = loggers.CreateLogger("KubeDiscovery.Sources.Live");
        _discovery = new ApiDiscovery(client);
        _reachability = new ClusterReachability(client, _time, _logger, _stopping.Token);
        cache.Relations.Documents = Snapshot.RelationRulesText.Documents;
        cache.Relations.Changed += OnRulesChanged;
    }

    // A rules ConfigMap or an annotated CRD changed what ingest reads from some kind: rediscovery
    // restarts the reflectors whose plan moved (one LIST of each such kind, nothing else).
    private void OnRulesChanged(Graph.Connections.Rules.RelationRuleSet rules) => RequestRediscovery();

    /// <summary>Completes when every reflector started at start-up has listed once.</summary>
    public Task Synced => _synced.Task;

    /// <summary>The resources followed right now.</summary>
    public IReadOnlyList<ResourceType> Following
    {
        get { lock (_reflectors) return _reflectors.Values.Select(r => r.Reflector.Type).ToList(); }
    }

    /// <summary>
    /// Reads discovery (failing within <see cref="LiveSourceOptions.StartupTimeout"/> when the cluster
    /// does not answer) and starts the reflectors. Returns before they have listed: see <see cref="Synced"/>.
    /// </summary>
    /// <exception cref="ClusterAccessException">The cluster did not answer discovery.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        DiscoveryResult discovered;
        using var startupTimeout = new CancellationTokenSource(_options.StartupTimeout, _time);
        using (var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token, startupTimeout.Token))
        {
            try
            {
                discovered = await _discovery.DiscoverAsync(startup.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ClusterAccessException($"{_clusterDescription}: no answer to discovery within {_options.StartupTimeout.TotalSeconds:0.#}s");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new ClusterAccessException($"{_clusterDescription}: discovery failed: {KubernetesErrors.Describe(e)}", e);
            }
        }

        var started = _time.GetTimestamp();
        var reflectors = Apply(discovered, previous: []);
        LiveSourceLog.Following(_logger, reflectors.Count, _clusterDescription);
        _ = Task.WhenAll(reflectors.Select(r => r.Synced)).ContinueWith(_ =>
        {
            _cache.MarkSynced();
            _synced.TrySetResult();
            var tookMs = (long)_time.GetElapsedTime(started).TotalMilliseconds;
            LiveSourceLog.Synced(_logger, _cache.Index.Count, tookMs);
        }, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        _rediscoveryLoop = Task.Run(() => RediscoveryLoopAsync(_stopping.Token), CancellationToken.None);
        if (discovered.Types.Any(t => t.Group.Length == 0 && t.Plural == "events"))
        {
            var follower = new WarningEventFollower(_client, _cache, _options, _time, _loggers.CreateLogger("KubeDiscovery.Sources.Live.WarningEvents"));
            _warnings = Task.Run(() => follower.RunAsync(_stopping.Token), CancellationToken.None);
        }
    }

    /// <summary>Asks for discovery to be read again soon (a CRD or APIService changed).</summary>
    public void RequestRediscovery() => _rediscover.Writer.TryWrite(true);

    private int _disposed;

    /// <summary>Stops every watch; a second call (the host's stop, then the container's dispose) does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _cache.Relations.Changed -= OnRulesChanged;
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task[] running;
        lock (_reflectors) running = [.. _reflectors.Values.Select(r => r.Task), _rediscoveryLoop, _warnings];
        try
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stopping.Dispose();
    }

    private async Task RediscoveryLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.RediscoveryInterval, _time);
        var tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();
        while (!cancellationToken.IsCancellationRequested)
        {
            var signal = _rediscover.Reader.WaitToReadAsync(cancellationToken).AsTask();
            try
            {
                var fired = await Task.WhenAny(tick, signal).ConfigureAwait(false);
                await fired.ConfigureAwait(false);
                if (fired == tick) tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();
                // Let a burst of CRD events (an operator installing twenty CRDs) settle into one pass.
                await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken).ConfigureAwait(false);
                while (_rediscover.Reader.TryRead(out _))
                {
                }
                var discovered = await _discovery.DiscoverAsync(cancellationToken).ConfigureAwait(false);
                RunningReflector[] previous;
                lock (_reflectors) previous = [.. _reflectors.Values];
                Apply(discovered, previous.Select(r => r.Reflector.Type).ToList());
                _cache.Health.Report("discovery", true, $"{discovered.Types.Count} resources served");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                var reason = KubernetesErrors.Describe(e);
                _cache.Health.Report("discovery", false, $"{reason}; keeping the resources found before");
                LiveSourceLog.RediscoveryFailed(_logger, reason);
            }
        }
    }

    /// <summary>Makes the running reflectors match <paramref name="discovered"/>; returns the ones it started.</summary>
    private List<Reflector> Apply(DiscoveryResult discovered, List<ResourceType> previous)
    {
        foreach (var (groupVersion, reason) in discovered.FailedGroupVersions) LiveSourceLog.GroupVersionFailed(_logger, groupVersion, reason);

        // A group version that failed to answer keeps what was known of it, rather than dropping its objects.
        var kept = previous.Where(t => discovered.FailedGroupVersions.ContainsKey(t.GroupVersion)
            && !discovered.Types.Any(d => d.GroupResource == t.GroupResource));
        var wanted = discovered.Types.Where(_filter.Follows).Concat(kept).ToList();
        var catalog = new ResourceCatalog(wanted);

        List<Reflector> started = [];
        List<RunningReflector> stopped = [];
        lock (_reflectors)
        {
            // One reflector per storage: an alias (ingresses.extensions beside ingresses.networking.k8s.io)
            // would index the same objects a second time under another type.
            foreach (var type in catalog.Followed)
            {
                if (_reflectors.TryGetValue(type.GroupResource, out var running))
                {
                    // A relation rule that changes what is read from this kind needs its objects read again.
                    if (SameWatch(running.Reflector.Type, type) && running.Reflector.Fingerprint == _cache.Relations.Current.Plans.For(type.Group, type.Kind).Fingerprint) continue;
                    stopped.Add(running); // served at another version now: follow it there
                    _reflectors.Remove(type.GroupResource);
                }
                var reflector = new Reflector(_client, type, _cache, _options, _time, _reachability, _loggers.CreateLogger("KubeDiscovery.Sources.Live.Reflector"),
                    type.GroupResource == Crds || type.GroupResource == ApiServices ? RequestRediscovery : null, _metrics, _observer);
                var cancellation = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                _reflectors[type.GroupResource] = new RunningReflector(reflector, Task.Run(() => reflector.RunAsync(cancellation.Token)), cancellation);
                started.Add(reflector);
            }
            foreach (var (resource, running) in _reflectors.ToList())
            {
                if (catalog.Find(resource) is { AliasOf: null }) continue;
                _reflectors.Remove(resource);
                stopped.Add(running);
            }
        }

        // The catalog changes before the old reflectors wind down: their kinds stop resolving at once.
        _cache.Catalog = catalog;
        if (previous.Count > 0)
        {
            foreach (var reflector in started) LiveSourceLog.Started(_logger, reflector.Type);
        }
        foreach (var running in stopped) _ = StopAsync(running, catalog.Find(running.Reflector.Type.GroupResource) is null or { AliasOf: not null });
        return started;
    }

    private async Task StopAsync(RunningReflector running, bool removeObjects)
    {
        await running.Cancellation.CancelAsync().ConfigureAwait(false);
        try
        {
            await running.Task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        running.Cancellation.Dispose();
        if (!removeObjects) return;
        _cache.Index.ReplaceAll(running.Reflector.Type.GroupResource, []);
        _cache.Health.Remove(running.Reflector.HealthName);
        LiveSourceLog.Stopped(_logger, running.Reflector.Type);
    }

    private static bool SameWatch(ResourceType a, ResourceType b) =>
        a.Version == b.Version && a.Kind == b.Kind && a.Namespaced == b.Namespaced;

    private sealed record RunningReflector(Reflector Reflector, Task Task, CancellationTokenSource Cancellation);
}
