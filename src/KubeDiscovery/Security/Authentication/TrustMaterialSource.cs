using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeDiscovery.Sources.Live;
using Polly;

namespace KubeDiscovery.Security.Authentication;

/// <summary>
/// Keeps the current <see cref="TrustMaterial"/>: CAs given by flags stay fixed; the rest comes from
/// <c>kube-system/extension-apiserver-authentication</c>, listed at start and then watched, because
/// kube-apiserver rewrites it when its CAs rotate.
/// </summary>
internal sealed class TrustMaterialSource : IAsyncDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(10);

    // The live source's retry schedule (0.8 s doubling to 30 s, jittered), for this one-object watch too.
    private static readonly string FieldSelector = $"metadata.name={AuthenticationConfigMap.Name}";

    private readonly IKubernetes? _client;
    private readonly CaBundleFile? _clientCaFile;
    private readonly CaBundleFile? _requestHeaderCaFile;
    private readonly SecurityOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _watch;
    private volatile TrustMaterial _fromConfigMap = TrustMaterial.None;
    private volatile TrustMaterial _current = TrustMaterial.None;
    private RequestHeaderConfig? _fromFlags;

    /// <param name="client">The cluster to read the ConfigMap from; null when it is not looked up.</param>
    /// <param name="clientCaFile">--client-ca-file, which replaces the ConfigMap's client CA.</param>
    /// <param name="requestHeaderCaFile">--requestheader-client-ca-file, which with the --requestheader-* options replaces the ConfigMap's front-proxy settings.</param>
    public TrustMaterialSource(IKubernetes? client, CaBundleFile? clientCaFile, CaBundleFile? requestHeaderCaFile, SecurityOptions options, TimeProvider time, ILogger logger)
    {
        _client = client;
        _clientCaFile = clientCaFile;
        _requestHeaderCaFile = requestHeaderCaFile;
        _options = options;
        _time = time;
        _logger = logger;
        if (clientCaFile is not null) clientCaFile.Logger = logger;
        if (requestHeaderCaFile is not null) requestHeaderCaFile.Logger = logger;
    }

    /// <summary>
    /// The trust material now: the CA files' current contents (re-read when they change) over what the
    /// ConfigMap last said. Costs a few reference comparisons per request once nothing changes.
    /// </summary>
    public TrustMaterial Current
    {
        get
        {
            var fromConfigMap = _fromConfigMap;
            var clientCa = _clientCaFile?.Current ?? fromConfigMap.ClientCa;
            var requestHeader = fromConfigMap.RequestHeader;
            if (_requestHeaderCaFile?.Current is { } authority)
            {
                var fromFlags = _fromFlags;
                if (fromFlags is null || !ReferenceEquals(fromFlags.Authority, authority))
                {
                    _fromFlags = fromFlags = new RequestHeaderConfig(authority, _options.RequestHeaderAllowedNames, _options.RequestHeaderUsernameHeaders,
                        _options.RequestHeaderGroupHeaders, _options.RequestHeaderExtraHeadersPrefix, _options.RequestHeaderUidHeaders);
                }
                requestHeader = fromFlags;
            }
            var current = _current;
            if (ReferenceEquals(current.ClientCa, clientCa) && ReferenceEquals(current.RequestHeader, requestHeader)) return current;
            return _current = new TrustMaterial(clientCa, requestHeader);
        }
    }

    /// <summary>Whether the ConfigMap is read at all: only when a flag left something to look up.</summary>
    public bool LooksUp => _client is not null && (_clientCaFile is null || _requestHeaderCaFile is null);

    /// <summary>
    /// Reads the ConfigMap once and starts watching it. Fails (as kube-apiserver's own aggregated servers
    /// do) when it cannot be read, since serving without it would reject the front proxy.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (LooksUp)
        {
            string resourceVersion;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartupTimeout);
            try
            {
                resourceVersion = await ListAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new Hosting.ServerStartupException(
                    $"cannot read ConfigMap {AuthenticationConfigMap.Namespace}/{AuthenticationConfigMap.Name}: no answer within {StartupTimeout.TotalSeconds:0} s", e);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var hint = e is HttpOperationException { Response.StatusCode: HttpStatusCode.Forbidden }
                    ? " (bind the Role kube-system/extension-apiserver-authentication-reader to this server's service account, or pass --authentication-skip-lookup with --client-ca-file and --requestheader-client-ca-file)"
                    : "";
                throw new Hosting.ServerStartupException(
                    $"cannot read ConfigMap {AuthenticationConfigMap.Namespace}/{AuthenticationConfigMap.Name}: {KubernetesErrors.Describe(e)}{hint}", e);
            }
            _watch = Task.Run(() => WatchLoopAsync(resourceVersion, _stop.Token), CancellationToken.None);
        }
        var now = Current;
        SecurityLog.TrustLoaded(_logger,
            now.ClientCa is { } c ? $"a client CA of {c.Count} certificate(s)" : "no client CA",
            now.RequestHeader is { } r ? $"a request-header CA of {r.Authority.Count} certificate(s), allowed names [{string.Join(",", r.AllowedNames)}]" : "no request-header CA");
    }

    private async Task<string> ListAsync(CancellationToken cancellationToken)
    {
        var list = await _client!.CoreV1.ListNamespacedConfigMapAsync(
            AuthenticationConfigMap.Namespace, fieldSelector: FieldSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
        var configMap = list.Items?.FirstOrDefault();
        if (configMap is null) SecurityLog.ConfigMapMissing(_logger);
        else Apply(configMap);
        return list.Metadata?.ResourceVersion ?? "";
    }

    private async Task WatchLoopAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        // Any failure re-lists (a 410 means the resourceVersion is gone, and a re-list is cheap for one
        // object) after the shared backoff; a watch that ends normally starts the schedule over.
        var retry = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(RetrySchedule.Watches.RetryOptions(attempts: null, transient: _ => true, args =>
            {
                resourceVersion = "";
                SecurityLog.ConfigMapWatchFailed(_logger, args.RetryDelay.TotalSeconds, KubernetesErrors.Describe(args.Outcome.Exception!));
                return ValueTask.CompletedTask;
            }))
            .Build();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await retry.ExecuteAsync(async ct => resourceVersion = await WatchOnceAsync(resourceVersion, ct).ConfigureAwait(false), cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Lists if there is no version to resume from, then follows the ConfigMap until the watch ends; returns the last version seen.</summary>
    private async Task<string> WatchOnceAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        if (resourceVersion.Length == 0) resourceVersion = await ListAsync(cancellationToken).ConfigureAwait(false);
        Exception? watchError = null;
        using var response = await KubeRequests.GetAsync(_client!,
            KubeRequests.WatchUri("", "v1", "configmaps", AuthenticationConfigMap.Namespace, resourceVersion, 300 + Random.Shared.Next(300), FieldSelector),
            null, cancellationToken).ConfigureAwait(false);
        // The end of the stream is kube-apiserver's timeout: a normal end.
        await foreach (var (type, obj) in WatchReader.ReadAsync(response, e => watchError ??= e, cancellationToken).ConfigureAwait(false))
        {
            var configMap = KubernetesJson.Deserialize<V1ConfigMap>(obj);
            if (configMap?.Metadata?.ResourceVersion is { Length: > 0 } rv) resourceVersion = rv;
            if (type is WatchEventType.Added or WatchEventType.Modified && configMap is not null) Apply(configMap);
        }
        if (watchError is not null) throw watchError;
        return resourceVersion;
    }

    /// <summary>Applies a new version of the ConfigMap; an unreadable one is logged and the last good one kept.</summary>
    public void Apply(V1ConfigMap configMap)
    {
        try
        {
            _fromConfigMap = new TrustMaterial(
                _clientCaFile is null ? AuthenticationConfigMap.ReadClientCa(configMap.Data, _time) : null,
                _requestHeaderCaFile is null ? AuthenticationConfigMap.ReadRequestHeader(configMap.Data, _time) : null);
        }
        catch (FormatException e)
        {
            SecurityLog.ConfigMapUnreadable(_logger, e.Message);
        }
    }

    private int _disposed;

    /// <summary>Stops the watch; a second call (the host's stop, then the container's dispose) does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_watch is not null) await _watch.ConfigureAwait(false);
        _stop.Dispose();
    }
}
