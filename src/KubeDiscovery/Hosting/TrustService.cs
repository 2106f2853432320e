using KubeDiscovery.Security;

namespace KubeDiscovery.Hosting;

/// <summary>
/// The CAs that authenticate clients and the front proxy, read before the port opens — otherwise
/// kube-apiserver's first proxied request would be refused — and followed until the host stops.
/// </summary>
internal sealed class TrustService(AccessControl security) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => security.Trust.StartAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken) => await security.DisposeAsync().ConfigureAwait(false);
}
