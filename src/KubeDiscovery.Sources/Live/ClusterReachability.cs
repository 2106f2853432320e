using k8s;
using Microsoft.Extensions.Logging;

namespace KubeDiscovery.Sources.Live;

/// <summary>
/// One signal, shared by every reflector of a cluster, for "kube-apiserver answers again". Without it
/// each reflector backs off on its own, and after an outage of half a minute every one of them is
/// sleeping ~30 s when the control plane returns. A reflector that fails to reach the cluster reports
/// it here; while anything is unreachable, a probe asks <c>/version</c> every
/// <see cref="ProbeInterval"/>; its first answer (or any reflector's success) wakes every reflector
/// waiting in its backoff, so the index is current again within seconds of the cluster's return.
/// </summary>
internal sealed class ClusterReachability
{
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly IKubernetes _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;
    private TaskCompletionSource _recovered = NewSignal();
    private bool _unreachable;

    public ClusterReachability(IKubernetes client, TimeProvider time, ILogger logger, CancellationToken stopping)
    {
        _client = client;
        _time = time;
        _logger = logger;
        _stopping = stopping;
    }

    /// <summary>Completes the next time the cluster is seen answering after a reported failure.</summary>
    public Task Recovered
    {
        get { lock (_lock) return _recovered.Task; }
    }

    /// <summary>A request could not reach the cluster (transport error or 5xx): start probing.</summary>
    public void ReportUnreachable()
    {
        lock (_lock)
        {
            if (_unreachable) return;
            _unreachable = true;
        }
        _ = Task.Run(ProbeAsync, CancellationToken.None);
    }

    /// <summary>The cluster answered a request: wake whoever waits for it.</summary>
    public void ReportReachable()
    {
        TaskCompletionSource signal;
        lock (_lock)
        {
            if (!_unreachable) return;
            _unreachable = false;
            signal = _recovered;
            _recovered = NewSignal();
        }
        LiveSourceLog.ClusterReachable(_logger);
        signal.TrySetResult();
    }

    private async Task ProbeAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            lock (_lock)
            {
                if (!_unreachable) return;
            }
            try
            {
                await Task.Delay(ProbeInterval, _time, _stopping).ConfigureAwait(false);
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
                attempt.CancelAfter(TimeSpan.FromSeconds(5)); // real time: this bounds a socket, not a schedule
                await _client.Version.GetCodeAsync(attempt.Token).ConfigureAwait(false);
                ReportReachable();
                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !_stopping.IsCancellationRequested)
            {
                // Still down: probe again after the interval.
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
