using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.History.Tests.Storage;

/// <summary>One throwaway PostgreSQL for a test class.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
