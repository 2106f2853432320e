namespace KubeDiscovery.Hosting;

/// <summary>
/// The first step of a graceful stop, as kube-apiserver's: on SIGTERM <c>/readyz</c> fails at once while
/// requests are still answered for <see cref="ServingOptions.ShutdownDelay"/>, so endpoints and load
/// balancers stop routing here; then <see cref="Closing"/> ends long-running answers (watches) cleanly,
/// the port closes and requests in flight get <see cref="ServingOptions.ShutdownTimeout"/> to finish;
/// the source's watches stop last.
/// </summary>
internal sealed class ShutdownGate(ServingOptions serving, TimeProvider time, ILogger<ShutdownGate> logger) : IHostedLifecycleService, IDisposable
{
    private readonly CancellationTokenSource _closing = new();
    private volatile bool _draining;

    /// <summary>True from the stop signal on: readiness fails.</summary>
    public bool Draining => _draining;

    /// <summary>Cancelled when the port is about to close.</summary>
    public CancellationToken Closing => _closing.Token;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        ServerLog.Stopping(logger, serving.ShutdownDelay.TotalSeconds);
        if (serving.ShutdownDelay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(serving.ShutdownDelay, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The host's own deadline came first: close now.
            }
        }
        await _closing.CancelAsync().ConfigureAwait(false);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _closing.Dispose();
}
