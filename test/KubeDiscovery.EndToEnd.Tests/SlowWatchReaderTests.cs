using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>
/// A watcher that reads slowly (a tiny receive window, nothing read for a while) is not cut off without a
/// word: the stream goes on where it was, or says why it ends.
/// </summary>
public sealed class SlowWatchReaderTests(LiveClusterServer server) : IClassFixture<LiveClusterServer>
{
    private const string Api = "/apis/kubediscovery.io/v1";
    private const int ConfigMaps = 8_000;

    // A client whose socket takes 4 KiB at a time: the server's buffers fill and its writes wait on the reader.
    private HttpClient SlowClient() => new(new SocketsHttpHandler
    {
        SslOptions =
        {
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
            LocalCertificateSelectionCallback = (_, _, _, _, _) => server.Pki.Admin,
        },
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096, NoDelay = true };
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    [Fact]
    public async Task AWatcherThatStallsForTenSeconds_GetsEveryEvent_OrIsToldWhyNot()
    {
        using var client = SlowClient();
        using var response = await client.GetAsync(server.Url + Api + "/namespaces/e2e-slow/compositions?watch=true", HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var body = await response.Content.ReadAsStreamAsync();

        // Far more than the socket buffers and Kestrel's (4 MB and 64 KB here): the server's writes wait for the
        // reader. Long names make each event about 1 KB; more changes than the index's change log keeps (4,096).
        var data = new string('x', 512);
        var padding = new string('n', 200);
        for (var i = 0; i < ConfigMaps; i++)
        {
            server.Cluster.Store.Apply(new System.Text.Json.Nodes.JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = $"cm-{i:D4}-{padding}", ["namespace"] = "e2e-slow", ["labels"] = new System.Text.Json.Nodes.JsonObject { ["pad"] = data[..60] } },
                ["data"] = new System.Text.Json.Nodes.JsonObject { ["d"] = data },
            });
        }
        // The reader stalls, as a congested client does; Kestrel's own rule (240 B/s after 5 s) would cut it here.
        await Task.Delay(TimeSpan.FromSeconds(10));

        using var reader = new StreamReader(body);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? error = null;
        var clock = Stopwatch.StartNew();
        while (seen.Count < ConfigMaps && error is null && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            line.ShouldNotBeNull($"the stream ended without a word after {seen.Count} of {ConfigMaps} items");
            var e = JsonDocument.Parse(line).RootElement;
            if (e.GetProperty("type").GetString() == "ERROR") error = e.GetProperty("object").GetProperty("message").GetString();
            else seen.Add(e.GetProperty("object").GetProperty("metadata").GetProperty("name").GetString()!);
        }

        // Every ConfigMap arrived, or the server said why it stopped (the reader fell behind its change log: list again).
        if (error is null) seen.Count.ShouldBe(ConfigMaps);
        else error.ShouldStartWith("too old resource version");
    }
}
