using System.Net;
using System.Text.Json;
using KubeDiscovery.Tests.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.Tests.Api.Compositions;

/// <summary>Watch parameters read as kube-apiserver reads them: a value it would refuse is a 400 that names it, never a guess.</summary>
public sealed class WatchParametersTests : IAsyncLifetime
{
    private const string Api = "/apis/kubediscovery.io/v1";
    private readonly FakeTimeProvider _time = new();
    private InProcessServer _server = null!;

    public async Task InitializeAsync() => _server = await InProcessServer.StartAsync(_time);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("/compositions?watch=maybe", "watch must be true or false, not \"maybe\"")]
    [InlineData("/compositions?watch=true&allowWatchBookmarks=sure", "allowWatchBookmarks must be true or false, not \"sure\"")]
    [InlineData("/compositions?watch=true&timeoutSeconds=abc", "timeoutSeconds must be a whole number of seconds, 0 or more, not \"abc\"")]
    [InlineData("/compositions?watch=true&timeoutSeconds=-1", "timeoutSeconds must be a whole number of seconds, 0 or more, not \"-1\"")]
    [InlineData("/compositions?watch=true&timeoutSeconds=1.5", "timeoutSeconds must be a whole number of seconds, 0 or more, not \"1.5\"")]
    [InlineData("/compositions?watch=true&resourceVersion=garbage", "invalid resource version: \"garbage\"")]
    [InlineData("/namespaces/shop/deployments/cart/compositions?watch=yes", "watch must be true or false, not \"yes\"")]
    public async Task ALooseValue_Is400(string path, string message)
    {
        using var response = await _server.Http.GetAsync(_server.Url + Api + path);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        status.GetProperty("kind").GetString().ShouldBe("Status");
        status.GetProperty("message").GetString()!.ShouldStartWith(message);
    }

    [Theory]
    [InlineData("False")]
    [InlineData("0")]
    [InlineData("f")]
    public async Task WatchFalse_InAnyOfGosSpellings_IsAList(string value)
    {
        using var response = await _server.Http.GetAsync(_server.Url + Api + "/namespaces/shop/compositions?watch=" + value);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("kind").GetString().ShouldBe("CompositionList");
    }

    [Fact]
    public async Task WatchT_IsAWatch()
    {
        using var response = await _server.Http.GetAsync(_server.Url + Api + "/namespaces/shop/compositions?watch=T", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        JsonDocument.Parse((await reader.ReadLineAsync())!).RootElement.GetProperty("type").GetString().ShouldBe("ADDED");
    }
}
