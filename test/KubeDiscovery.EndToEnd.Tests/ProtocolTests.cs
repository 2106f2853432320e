using System.Net;
using System.Text.Json;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>What kube-apiserver's aggregator and raw HTTP clients expect: discovery, errors, verbs, health.</summary>
public sealed class ProtocolTests(DemoServer server) : IClassFixture<DemoServer>
{
    private const string Api = "/apis/kubediscovery.io/v1";

    private async Task<(HttpStatusCode Code, JsonElement Body, HttpResponseMessage Response)> Send(HttpMethod method, string path, string? accept = null)
    {
        var request = new HttpRequestMessage(method, server.Url + path);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 && text[0] == '{' ? JsonDocument.Parse(text).RootElement : default, response);
    }

    private static void ShouldBeStatus(JsonElement body, int code, string reason)
    {
        body.GetProperty("kind").GetString().ShouldBe("Status");
        body.GetProperty("apiVersion").GetString().ShouldBe("v1");
        body.GetProperty("status").GetString().ShouldBe("Failure");
        body.GetProperty("code").GetInt32().ShouldBe(code);
        body.GetProperty("reason").GetString().ShouldBe(reason);
    }

    [Fact]
    public async Task GroupVersionDiscovery_ListsOneCompositionsEntryPerResource_WithScopeAndKind()
    {
        var list = JsonDocument.Parse(await server.GetRaw(Api)).RootElement;

        list.GetProperty("kind").GetString().ShouldBe("APIResourceList");
        list.GetProperty("groupVersion").GetString().ShouldBe("kubediscovery.io/v1");
        var entries = list.GetProperty("resources").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        entries["deployments/compositions"].GetProperty("namespaced").GetBoolean().ShouldBeTrue();
        entries["tenants/compositions"].GetProperty("namespaced").GetBoolean().ShouldBeFalse();
        entries["postgreses/compositions"].GetProperty("kind").GetString().ShouldBe("Composition");
        entries.Where(e => e.Key.EndsWith("/compositions", StringComparison.Ordinal))
            .ShouldAllBe(e => e.Value.GetProperty("verbs").EnumerateArray().Single().GetString() == "get");
        entries["compositions"].GetProperty("namespaced").GetBoolean().ShouldBeTrue();
        entries["clustercompositions"].GetProperty("namespaced").GetBoolean().ShouldBeFalse();
        entries["clustercompositions"].GetProperty("kind").GetString().ShouldBe("ClusterComposition");
        entries.Keys.Count(k => k == "events/compositions").ShouldBe(1);
    }

    [Fact]
    public async Task ApisAndGroup_AnswerLikeKubeApiserver_AndKubectlApiVersionsReadsThem()
    {
        var versions = await server.Kubectl("api-versions");

        versions.ExitCode.ShouldBe(0, versions.Stderr);
        versions.Stdout.ShouldContain("kubediscovery.io/v1");
        var group = JsonDocument.Parse(await server.GetRaw("/apis/kubediscovery.io")).RootElement;
        group.GetProperty("preferredVersion").GetProperty("groupVersion").GetString().ShouldBe("kubediscovery.io/v1");
    }

    [Fact]
    public async Task AggregatedDiscovery_IsServedWhenAskedFor_AndRevalidatesWithETag()
    {
        const string accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
        var (code, body, response) = await Send(HttpMethod.Get, "/apis", accept);

        code.ShouldBe(HttpStatusCode.OK);
        var contentType = response.Content.Headers.ContentType!;
        contentType.MediaType.ShouldBe("application/json");
        contentType.Parameters.Select(p => $"{p.Name}={p.Value}").ShouldBe(["g=apidiscovery.k8s.io", "v=v2", "as=APIGroupDiscoveryList"]);
        response.Headers.Vary.ShouldContain("Accept");
        body.GetProperty("kind").GetString().ShouldBe("APIGroupDiscoveryList");
        var deployments = body.GetProperty("items")[0].GetProperty("versions")[0].GetProperty("resources").EnumerateArray()
            .Single(r => r.GetProperty("resource").GetString() == "deployments");
        deployments.GetProperty("subresources")[0].GetProperty("responseKind").GetProperty("kind").GetString().ShouldBe("Composition");

        var again = new HttpRequestMessage(HttpMethod.Get, server.Url + "/apis");
        again.Headers.TryAddWithoutValidation("Accept", accept);
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        (await server.Http.SendAsync(again)).StatusCode.ShouldBe(HttpStatusCode.NotModified);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task VerbsOtherThanGet_AreMethodNotAllowed(string verb)
    {
        var (code, body, _) = await Send(new HttpMethod(verb), $"{Api}/namespaces/shop/deployments/cart/compositions");

        code.ShouldBe(HttpStatusCode.MethodNotAllowed);
        ShouldBeStatus(body, 405, "MethodNotAllowed");
    }

    [Fact]
    public async Task ProtobufOnlyClient_IsNotAcceptable_ButKubectlsAcceptListIsFine()
    {
        var (code, body, _) = await Send(HttpMethod.Get, $"{Api}/namespaces/shop/deployments/cart/compositions", "application/vnd.kubernetes.protobuf");
        code.ShouldBe(HttpStatusCode.NotAcceptable);
        ShouldBeStatus(body, 406, "NotAcceptable");

        (await Send(HttpMethod.Get, $"{Api}/namespaces/shop/deployments/cart/compositions", "application/vnd.kubernetes.protobuf, */*")).Code.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task PathTooLong_Is414Status_NotAnEmptyBody()
    {
        var (code, body, _) = await Send(HttpMethod.Get, $"{Api}/namespaces/shop/deployments/{new string('x', 10_000)}/compositions");

        code.ShouldBe(HttpStatusCode.RequestUriTooLong);
        ShouldBeStatus(body, 414, "RequestURITooLong");
    }

    [Fact]
    public async Task HeadersTooLarge_Are431Status_NotAnEmptyBody()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, server.Url + $"{Api}/namespaces/shop/deployments/cart/compositions");
        request.Headers.TryAddWithoutValidation("X-Padding", new string('p', 40_000));
        var response = await server.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestHeaderFieldsTooLarge);
        ShouldBeStatus(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement, 431, "RequestHeaderFieldsTooLarge");
    }

    [Fact]
    public async Task AcceptHeaderThatDoesNotParse_IsNotAcceptable_AsInKubeApiserver()
    {
        var (code, body, _) = await Send(HttpMethod.Get, $"{Api}/namespaces/shop/deployments/cart/compositions", "garbage;;;==");

        code.ShouldBe(HttpStatusCode.NotAcceptable);
        ShouldBeStatus(body, 406, "NotAcceptable");
    }

    [Theory]
    [InlineData("/apis/kubediscovery.io/v1/NAMESPACES/shop/deployments/cart/compositions")]
    [InlineData("/apis/kubediscovery.io/v1/namespaces/shop/deployments/cart/COMPOSITIONS")]
    [InlineData("/APIS/kubediscovery.io/v1/namespaces/shop/deployments/cart/compositions")]
    [InlineData("/apis/KubeDiscovery.io/v1/namespaces/shop/deployments/cart/compositions")]
    public async Task FixedPathSegments_MatchCaseSensitively_AsInKubeApiserver(string path)
    {
        var (code, body, _) = await Send(HttpMethod.Get, path);

        code.ShouldBe(HttpStatusCode.NotFound);
        ShouldBeStatus(body, 404, "NotFound");
        // The resource and name are the user's words: matched as kubectl users type them.
        (await Send(HttpMethod.Get, $"{Api}/namespaces/shop/Deployments/cart/compositions")).Code.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("?depth=-1")]
    [InlineData("?depth=deep")]
    [InlineData("?format=yaml")]
    public async Task BadQuery_IsBadRequest(string query)
    {
        var (code, body, _) = await Send(HttpMethod.Get, $"{Api}/namespaces/shop/deployments/cart/compositions{query}");

        code.ShouldBe(HttpStatusCode.BadRequest);
        ShouldBeStatus(body, 400, "BadRequest");
    }

    [Fact]
    public async Task UnknownPath_IsNotFoundStatus()
    {
        var (code, body, _) = await Send(HttpMethod.Get, $"{Api}/namespaces/shop/deployments/cart");

        code.ShouldBe(HttpStatusCode.NotFound);
        ShouldBeStatus(body, 404, "NotFound");
    }

    [Fact]
    public async Task LegacyEndpoint_WithoutKind_IsBadRequest()
    {
        var (code, body, _) = await Send(HttpMethod.Get, $"{Api}/composition?instance=x");

        code.ShouldBe(HttpStatusCode.BadRequest);
        ShouldBeStatus(body, 400, "BadRequest");
    }

    [Fact]
    public async Task Http2_IsServed()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, server.Url + "/healthz") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var response = await server.Http.SendAsync(request);

        response.Version.ShouldBe(HttpVersion.Version20);
        (await response.Content.ReadAsStringAsync()).ShouldBe("ok");
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/livez")]
    [InlineData("/readyz")]
    public async Task HealthEndpoints_AnswerOk(string path)
    {
        var response = await server.Http.GetAsync(server.Url + path);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        (await response.Content.ReadAsStringAsync()).ShouldBe("ok");
        (await server.Http.GetStringAsync(server.Url + path + "?verbose")).ShouldContain("check passed");
    }

    [Fact]
    public async Task Version_HasKubeApiserversFields()
    {
        var version = JsonDocument.Parse(await server.GetRaw("/version")).RootElement;

        foreach (var field in new[] { "major", "minor", "gitVersion", "gitCommit", "gitTreeState", "buildDate", "goVersion", "compiler", "platform" })
        {
            version.TryGetProperty(field, out _).ShouldBeTrue(field);
        }
        version.GetProperty("gitVersion").GetString().ShouldStartWith("v");
    }
}
