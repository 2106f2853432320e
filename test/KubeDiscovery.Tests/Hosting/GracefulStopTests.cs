using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.Tests.Hosting;

/// <summary>
/// The order of a graceful stop (<c>--shutdown-delay-duration</c>), on a fake clock so no step depends on
/// the machine's speed: readiness fails first while answers and watches go on, then watches end cleanly
/// and the host stops.
/// </summary>
public sealed class GracefulStopTests
{
    private const string Cart = "/apis/kubediscovery.io/v1/namespaces/shop/deployments/cart/compositions";

    [Fact]
    public async Task Stopping_FailsReadinessFirst_AnswersDuringTheDelay_ThenEndsWatchesAndStops()
    {
        var time = new FakeTimeProvider();
        await using var server = await InProcessServer.StartAsync(time, o => o with { ShutdownDelay = TimeSpan.FromSeconds(10) });
        (await server.Http.GetAsync(server.Url + "/readyz")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var watch = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, server.Url + Cart + "?watch=true"), HttpCompletionOption.ResponseHeadersRead);
        using var events = new StreamReader(await watch.Content.ReadAsStreamAsync());
        (await events.ReadLineAsync())!.ShouldContain("\"type\":\"ADDED\"");

        var stopped = server.App.StopAsync();

        // Readiness fails as soon as the stop begins…
        await Until(async () => (await server.Http.GetAsync(server.Url + "/readyz")).StatusCode == HttpStatusCode.ServiceUnavailable);
        var verbose = await server.Http.GetStringAsync(server.Url + "/livez");
        verbose.ShouldBe("ok"); // …while the process stays live,
        (await server.Http.GetAsync(server.Url + Cart)).StatusCode.ShouldBe(HttpStatusCode.OK); // answers go on,
        stopped.IsCompleted.ShouldBeFalse(); // and nothing closes until the delay has passed on the clock.
        var pendingLine = events.ReadLineAsync();
        pendingLine.IsCompleted.ShouldBeFalse();

        time.Advance(TimeSpan.FromSeconds(10));

        (await pendingLine.WaitAsync(TimeSpan.FromSeconds(30))).ShouldBeNull(); // the watch ended as a stream ends
        await stopped.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task ReadyzVerbose_SaysTheServerIsStopping()
    {
        var time = new FakeTimeProvider();
        await using var server = await InProcessServer.StartAsync(time, o => o with { ShutdownDelay = TimeSpan.FromSeconds(5) });

        var stopped = server.App.StopAsync();
        await Until(async () => (await server.Http.GetAsync(server.Url + "/readyz")).StatusCode == HttpStatusCode.ServiceUnavailable);
        var body = await (await server.Http.GetAsync(server.Url + "/readyz?verbose")).Content.ReadAsStringAsync();

        body.ShouldContain("[-]shutdown failed: the server is stopping");
        body.ShouldContain("[+]informer-sync ok");
        body.ShouldEndWith("readyz check failed\n");
        time.Advance(TimeSpan.FromSeconds(5));
        await stopped.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Waits for a condition the server reaches by itself, bounded so a broken server fails the test.</summary>
    private static async Task Until(Func<Task<bool>> condition)
    {
        var bound = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            bound.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), "the condition never held");
            await Task.Delay(10);
        }
    }
}
