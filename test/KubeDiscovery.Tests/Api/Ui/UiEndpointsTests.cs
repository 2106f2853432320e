using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using KubeDiscovery.Tests.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.Tests.Api.Ui;

/// <summary>The web view's files as the real host serves them: types, caching, compression, the security policy.</summary>
public sealed partial class UiEndpointsTests
{
    private const string Ui = "/apis/kubediscovery.io/v1/ui/";

    [GeneratedRegex(@"(?:src|href)=""([^""#:]+)""")]
    private static partial Regex LocalReferences();

    private readonly FakeTimeProvider _time = new();

    private Task<InProcessServer> StartAsync() => InProcessServer.StartAsync(_time);

    [Fact]
    public async Task Head_IsAnsweredWhereverGetIs_WithTheSameHeadersAndNoBody()
    {
        var server = await StartAsync();
        await using var _server = server;

        using var get = await server.Http.GetAsync(server.Url + Ui);
        using var head = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, server.Url + Ui));
        using var list = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, server.Url + "/apis/kubediscovery.io/v1/namespaces/shop/compositions"));

        head.StatusCode.ShouldBe(HttpStatusCode.OK);
        head.Headers.ETag.ShouldBe(get.Headers.ETag);
        head.Content.Headers.ContentLength.ShouldBe(get.Content.Headers.ContentLength);
        head.Headers.GetValues("Cache-Control").ShouldHaveSingleItem();
        (await head.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ThePage_IsServedAtUiSlash_WithAStrictPolicy_AndRevalidatedOnEveryVisit()
    {
        var server = await StartAsync();
        await using var _server = server;

        using var response = await server.Http.GetAsync(server.Url + Ui);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        csp.ShouldContain("default-src 'none'");
        csp.ShouldContain("script-src 'self'");
        csp.ShouldNotContain("unsafe-inline");
        csp.ShouldNotContain("http"); // no other origin, so the page works with no internet
        response.Headers.CacheControl!.NoCache.ShouldBeTrue();
        response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");

        var html = await response.Content.ReadAsStringAsync();
        html.ShouldNotContain("<script>"); // no inline script: every script is a file of this server
        html.ShouldNotContain("style=");
    }

    [Fact]
    public async Task EveryFileThePageNames_IsServed_RelativeToIt_WithAHashedNameCachedForAYear()
    {
        var server = await StartAsync();
        await using var _server = server;
        var html = await server.Http.GetStringAsync(server.Url + Ui);
        var files = LocalReferences().Matches(html).Select(m => m.Groups[1].Value).ToList();
        files.Count.ShouldBeGreaterThanOrEqualTo(2, html); // the script and the style sheet

        foreach (var file in files)
        {
            file.ShouldNotStartWith("/"); // relative: it must work under any proxy's path prefix
            using var response = await server.Http.GetAsync(server.Url + Ui + file);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, file);
            response.Content.Headers.ContentType!.MediaType.ShouldBe(file.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : "text/css", file);
            response.Headers.CacheControl!.MaxAge.ShouldBe(TimeSpan.FromDays(365), file);
            response.Headers.CacheControl.Private.ShouldBeTrue(); // answers are authorized per user: no shared cache
            response.Headers.ETag.ShouldNotBeNull();
        }
    }

    [Fact]
    public async Task AFileAskedAgainWithItsETag_Is304_AndGzipIsServedOnlyToWhoAcceptsIt()
    {
        var server = await StartAsync();
        await using var _server = server;
        var html = await server.Http.GetStringAsync(server.Url + Ui);
        var script = LocalReferences().Matches(html).Select(m => m.Groups[1].Value).First(f => f.EndsWith(".js", StringComparison.Ordinal));

        using var plain = await server.Http.GetAsync(server.Url + Ui + script);
        var body = await plain.Content.ReadAsByteArrayAsync();
        plain.Content.Headers.ContentEncoding.ShouldBeEmpty();

        using var zipped = new HttpRequestMessage(HttpMethod.Get, server.Url + Ui + script);
        zipped.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var gzipAnswer = await server.Http.SendAsync(zipped);
        gzipAnswer.Content.Headers.ContentEncoding.ShouldBe(["gzip"]);
        var compressed = await gzipAnswer.Content.ReadAsByteArrayAsync();
        compressed.Length.ShouldBeLessThan(body.Length / 2);
        using (var inflate = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress))
        using (var inflated = new MemoryStream())
        {
            await inflate.CopyToAsync(inflated);
            inflated.ToArray().ShouldBe(body);
        }
        gzipAnswer.Headers.ETag!.Tag.ShouldNotBe(plain.Headers.ETag!.Tag); // two representations, two tags

        using var refused = new HttpRequestMessage(HttpMethod.Get, server.Url + Ui + script);
        refused.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip", 0));
        using var refusedAnswer = await server.Http.SendAsync(refused);
        refusedAnswer.Content.Headers.ContentEncoding.ShouldBeEmpty();

        using var again = new HttpRequestMessage(HttpMethod.Get, server.Url + Ui + script);
        again.Headers.IfNoneMatch.Add(plain.Headers.ETag!);
        using var notModified = await server.Http.SendAsync(again);
        notModified.StatusCode.ShouldBe(HttpStatusCode.NotModified);
        (await notModified.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task TheKindsFile_NamesEachFollowedKindAsKubectlDoes_SoPagesNameKindsAlike()
    {
        var server = await StartAsync();
        await using var _server = server;

        using var response = await server.Http.GetAsync(server.Url + Ui + "kinds.json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.CacheControl!.NoCache.ShouldBeTrue();
        var kinds = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("kinds").EnumerateArray().ToList();
        var deployment = kinds.Single(k => k.GetProperty("kind").GetString() == "Deployment" && k.GetProperty("group").GetString() == "apps");
        (deployment.GetProperty("resource").GetString(), deployment.GetProperty("singular").GetString()).ShouldBe(("deployments", "deployment"));
        deployment.GetProperty("shortNames").EnumerateArray().Select(n => n.GetString()).ShouldContain("deploy");
        kinds.ShouldContain(k => k.GetProperty("kind").GetString() == "Postgres" && k.GetProperty("group").GetString() == "db.example.com");
    }

    [Fact]
    public async Task UiWithoutItsSlash_RedirectsRelatively_AndAnUnknownFile_IsAStatus404()
    {
        var server = await StartAsync();
        await using var _server = server;
        using var handlerless = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        });

        using var redirect = await handlerless.GetAsync(server.Url + Ui.TrimEnd('/'));
        redirect.StatusCode.ShouldBe(HttpStatusCode.MovedPermanently);
        redirect.Headers.Location!.OriginalString.ShouldBe("ui/"); // relative: right behind any proxy prefix

        using var missing = await server.Http.GetAsync(server.Url + Ui + "main-NOSUCHHASH.js");
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await missing.Content.ReadAsStringAsync()).ShouldContain("\"kind\":\"Status\"");
    }
}
