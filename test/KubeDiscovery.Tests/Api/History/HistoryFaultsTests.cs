using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using KubeDiscovery.Tests.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.Tests.Api.History;

/// <summary>History that is off, or whose database does not answer, never takes compositions down with it.</summary>
public sealed class HistoryFaultsTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task WithoutHistoryDb_HistoryRequestsAre404_SayingHowToTurnItOn_AndDiscoveryOmitsThem()
    {
        await using var server = await InProcessServer.StartAsync(_time);

        using var response = await server.Http.GetAsync(server.Url + HistoryHost.Api + "/namespaces/shop/deployments/frontend/versions");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldContain("start it with --history-db");
        (await server.Http.GetStringAsync(server.Url + HistoryHost.Api)).ShouldNotContain("deployments/versions");
    }

    [Fact]
    public async Task AnUnreachablePostgres_Makes503ForHistory_WhileCompositionsAreServed()
    {
        int closedPort;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        await using var host = await HistoryHost.StartAsync(_time, o => o with { Database = $"Host=127.0.0.1;Port={closedPort};Username=kd;Database=kd;Timeout=2" });

        // 503 from the start ("being opened"), then saying why, once the first attempt has failed.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        string message;
        do
        {
            var (status, body, _) = await host.GetAsync(HistoryHost.Api + "/namespaces/shop/deployments/frontend/versions");
            status.ShouldBe(HttpStatusCode.ServiceUnavailable, body);
            message = JsonDocument.Parse(body).RootElement.GetProperty("message").GetString()!;
            message.ShouldStartWith("the history database is");
        }
        while (!message.Contains("not reachable", StringComparison.Ordinal) && waited.Elapsed < TimeSpan.FromSeconds(30));
        message.ShouldStartWith("the history database is not reachable: ");
        (await host.GetAsync(HistoryHost.Api + "/namespaces/shop/deployments/frontend/compositions")).Status.ShouldBe(HttpStatusCode.OK);
        (await host.GetAsync(HistoryHost.Api + "/namespaces/shop/changes")).Status.ShouldBe(HttpStatusCode.ServiceUnavailable);
    }
}
