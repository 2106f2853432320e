using KubeDiscovery.Sources.Live;

namespace KubeDiscovery.Hosting;

/// <summary>
/// The live source as a hosted service: discovery answers (or fails the start) before the port opens, the
/// reflectors list in the background with <c>/readyz</c> failing until they have, and the watches stop
/// after the server has stopped taking requests (hosted services stop in reverse order).
/// </summary>
internal sealed class LiveSourceService(LiveClusterSource live) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await live.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterAccessException e)
        {
            throw new ServerStartupException($"cannot reach the cluster: {e.Message}", e);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await live.DisposeAsync().ConfigureAwait(false);
}
