using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>
/// Requests that would run for a long time: a user's surplus waits or is turned away with 429 while
/// other users are served, and work stops when its client goes away, giving its memory back.
/// </summary>
public sealed class AbandonedRequestTests(UnboundedCrowdedServer server) : IClassFixture<UnboundedCrowdedServer>
{
    private const string Api = "/apis/kubediscovery.io/v1";

    // Every Pod's neighbourhood ten levels out, drawn: nothing is written until all is built.
    private const string Heavy = Api + "/namespaces/load/pods/*/connections?depth=10&direction=both&through=all&format=dot";

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private FakeReviews Reviews => server.Cluster.Reviews;

    private string Viewer()
    {
        var name = $"vic-{Guid.NewGuid():N}"[..12];
        Reviews.Allow(name, ["get", "list"], ["*"], ["*"]);
        return name;
    }

    private long RssKib() => long.Parse(File.ReadLines($"/proc/{server.Pid}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
        .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    private async Task<long> InFlight()
    {
        var text = await server.Http.GetStringAsync(server.Url + "/metrics");
        var line = text.Split('\n').Single(l => l.StartsWith("apiserver_current_inflight_requests{", StringComparison.Ordinal));
        return long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture) - 1; // less the scrape itself
    }

    private HttpRequestMessage As(string user, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, server.Url + path);
        request.Headers.Add("X-Remote-User", user);
        return request;
    }

    private static async Task WaitFor(Func<Task<bool>> done, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await done())
        {
            if (clock.Elapsed > Bound) throw new TimeoutException($"{what} did not happen within {Bound}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task AUsersSurplus_IsTurnedAwayWith429_WhileAnotherUserIsServed_AndAbandonedWorkStops()
    {
        var (vic, other) = (Viewer(), Viewer());
        (await InFlight()).ShouldBe(0);
        var before = RssKib();
        using var client = ClusterPki.Client(server.Pki.FrontProxy);
        using var abandon = new CancellationTokenSource();

        // One answer at a time for vic (--max-requests-inflight-per-user 1): the first runs, the second waits.
        var running = client.SendAsync(As(vic, Heavy), HttpCompletionOption.ResponseHeadersRead, abandon.Token);
        await WaitFor(async () => await InFlight() >= 1, "the first heavy request started");
        var waiting = client.SendAsync(As(vic, Heavy), HttpCompletionOption.ResponseHeadersRead, abandon.Token);
        await WaitFor(async () => await InFlight() >= 2, "the second heavy request queued");

        using (var refused = await client.SendAsync(As(vic, Heavy)))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
            refused.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
            var status = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
            status.GetProperty("kind").GetString().ShouldBe("Status");
            status.GetProperty("reason").GetString().ShouldBe("TooManyRequests");
        }
        using (var served = await client.SendAsync(As(other, Api + "/namespaces/load/secrets/shared/connections")))
        {
            served.StatusCode.ShouldBe(HttpStatusCode.OK); // another user is not held up by vic's
        }
        // Let the running one build for a while (it would take over a minute, and 1.5 GB, to finish).
        await WaitFor(() => Task.FromResult(RssKib() - before > 48 * 1024), "the heavy request's memory grew");
        var during = RssKib();

        // vic goes away: the work stops, the place is given back, and so is the memory.
        abandon.Cancel();
        await Should.ThrowAsync<OperationCanceledException>(running);
        await Should.ThrowAsync<OperationCanceledException>(waiting);
        var gone = Stopwatch.StartNew();
        await WaitFor(async () => await InFlight() == 0, "the abandoned requests ended");
        var stopped = gone.Elapsed;
        using (var again = await client.SendAsync(As(vic, Api + "/namespaces/load/secrets/shared/connections")))
        {
            again.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        var after = RssKib();

        Console.WriteLine($"abandoned connections request: RSS before {before / 1024} MiB, during {during / 1024} MiB, after {after / 1024} MiB; work stopped {stopped.TotalMilliseconds:F0} ms after the client left");
        stopped.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        (after - during).ShouldBeLessThan(64 * 1024, $"RSS {before} KiB before, {during} during, {after} after: it grew after the client left");
    }
}
