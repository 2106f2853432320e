namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>
/// SIGTERM, as kubelet sends it: the real process stops by itself, ends open watches as a normal end of
/// stream (so clients watch again elsewhere), and exits 0. The readiness step is proven in process,
/// on a fake clock (KubeDiscovery.Tests Hosting/GracefulStopTests).
/// </summary>
public sealed class GracefulStopTests : IAsyncLifetime
{
    private readonly DemoServer _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Sigterm_EndsOpenWatchesCleanly_AndExitsZero()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get,
            _server.Url + "/apis/kubediscovery.io/v1/namespaces/shop/deployments/cart/compositions?watch=true");
        using var response = await _server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var stream = new StreamReader(await response.Content.ReadAsStreamAsync());
        (await stream.ReadLineAsync())!.ShouldContain("\"type\":\"ADDED\"");

        _server.Terminate();

        // The stream ends (end of stream, not a reset) well before the host's 30 s deadline would cut it.
        var rest = await stream.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(20));
        rest.ShouldNotContain("ERROR");
        (await _server.ExitCodeAsync(TimeSpan.FromSeconds(30))).ShouldBe(0, _server.Output);
        _server.Output.ShouldContain("Stopping: /readyz fails from now on");
    }
}
