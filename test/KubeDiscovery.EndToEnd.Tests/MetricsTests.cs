using System.Globalization;
using System.Net;
using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>
/// <c>/metrics</c> as Prometheus scrapes it: Prometheus text, authorized as metrics-server authorizes it
/// (a SubjectAccessReview for <c>get</c> on the path), with values that follow what the server did.
/// </summary>
public sealed class MetricsTests(DelegatingDemoServer server) : IClassFixture<DelegatingDemoServer>
{
    private const string Cart = "/apis/kubediscovery.io/v1/namespaces/shop/deployments/cart/compositions";

    private FakeReviews Reviews => server.Cluster.Reviews;

    private async Task<(HttpStatusCode Status, string Body, string? ContentType)> GetWithToken(string token, string path)
    {
        using var client = ClusterPki.Client(null);
        using var request = new HttpRequestMessage(HttpMethod.Get, server.Url + path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    private static string NewUser(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>A user allowed to scrape, and the token they scrape with.</summary>
    private string Scraper()
    {
        var scraper = NewUser("prometheus");
        var token = "token-" + Guid.NewGuid();
        Reviews.AddToken(token, scraper);
        Reviews.AllowPath(scraper, "/metrics");
        return token;
    }

    [Fact]
    public async Task Metrics_AreForbidden_WithoutGetOnTheMetricsPath()
    {
        var user = NewUser("nometrics");
        var token = "token-" + Guid.NewGuid();
        Reviews.AddToken(token, user);

        var (status, body, _) = await GetWithToken(token, "/metrics");

        status.ShouldBe(HttpStatusCode.Forbidden);
        body.ShouldContain($"User \\\"{user}\\\" cannot get path \\\"/metrics\\\"");
    }

    [Fact]
    public async Task Scrape_ByAMetricsReader_ShowsRequestsReviewsAndTheIndex_MovingWithWhatTheServerDid()
    {
        var token = Scraper();
        var viewer = NewUser("viewer");
        var viewerToken = "token-" + Guid.NewGuid();
        Reviews.AddToken(viewerToken, viewer);
        Reviews.Allow(viewer, ["get"], ["kubediscovery.io"], ["*/compositions"], "shop");
        Reviews.Allow(viewer, ["get", "list"], ["apps", ""], ["*"], "shop");

        var (status, before, contentType) = await GetWithToken(token, "/metrics");
        status.ShouldBe(HttpStatusCode.OK, before);
        contentType.ShouldBe("text/plain");

        (await GetWithToken(viewerToken, Cart)).Status.ShouldBe(HttpStatusCode.OK);
        (await GetWithToken(viewerToken, Cart)).Status.ShouldBe(HttpStatusCode.OK);
        (await GetWithToken(viewerToken, "/apis/kubediscovery.io/v1/namespaces/shop/deployments/no-such-thing/compositions")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await GetWithToken(viewerToken, "/apis/kubediscovery.io/v1/namespaces/kube-system/deployments/coredns/compositions")).Status.ShouldBe(HttpStatusCode.Forbidden);
        var (_, after, _) = await GetWithToken(token, "/metrics");

        const string labels = "group=\"kubediscovery.io\",resource=\"deployments\",scope=\"resource\",subresource=\"compositions\",verb=\"GET\",version=\"v1\"";
        (Value(after, $"apiserver_request_total{{code=\"200\",{labels}}}") - Value(before, $"apiserver_request_total{{code=\"200\",{labels}}}")).ShouldBe(2);
        (Value(after, $"apiserver_request_total{{code=\"404\",{labels}}}") - Value(before, $"apiserver_request_total{{code=\"404\",{labels}}}")).ShouldBe(1);
        (Value(after, $"apiserver_request_total{{code=\"403\",{labels}}}") - Value(before, $"apiserver_request_total{{code=\"403\",{labels}}}")).ShouldBe(1);
        (Value(after, $"apiserver_request_duration_seconds_count{{{labels}}}") - Value(before, $"apiserver_request_duration_seconds_count{{{labels}}}")).ShouldBe(4);

        // One TokenReview for the viewer's token, then the cache; SubjectAccessReviews for each new question.
        (Value(after, "kubediscovery_token_reviews_total{result=\"authenticated\"}") - Value(before, "kubediscovery_token_reviews_total{result=\"authenticated\"}")).ShouldBe(1);
        (Value(after, "kubediscovery_review_cache_lookups_total{result=\"hit\",review=\"token\"}") - Value(before, "kubediscovery_review_cache_lookups_total{result=\"hit\",review=\"token\"}")).ShouldBeGreaterThanOrEqualTo(3);
        Value(after, "kubediscovery_subject_access_reviews_total{result=\"allowed\"}").ShouldBeGreaterThan(0);
        Value(after, "kubediscovery_subject_access_reviews_total{result=\"no-opinion\"}").ShouldBeGreaterThan(0);
        Value(after, "kubediscovery_token_review_cache_hit_ratio").ShouldBeInRange(0.01, 1);

        // The index as it stands: the sample cluster's Deployments, and readiness.
        Value(after, "kubediscovery_objects{group=\"apps\",resource=\"deployments\"}").ShouldBe(12);
        Value(after, "kubediscovery_index_synced").ShouldBe(1);
        Value(after, "process_working_set_bytes").ShouldBeGreaterThan(1_000_000);
        after.ShouldContain("# TYPE apiserver_request_total counter");
        after.ShouldContain("# TYPE apiserver_request_duration_seconds histogram");
    }

    [Fact]
    public async Task MadeUpPaths_DoNotGrowTheSeries()
    {
        var token = Scraper();

        foreach (var junk in new[] { "/apis/made.up/v9/things", "/apis/kubediscovery.io/v1/namespaces/shop/nonsense-kind/x/compositions", "/random-" + Guid.NewGuid() })
        {
            using var response = await server.Http.GetAsync(server.Url + junk);
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }
        var (_, metrics, _) = await GetWithToken(token, "/metrics");

        metrics.ShouldNotContain("made.up");
        metrics.ShouldNotContain("nonsense-kind");
        metrics.ShouldNotContain("random-");
    }

    /// <summary>A sample's value; 0 when the series has not appeared yet (a counter that never moved).</summary>
    private static double Value(string exposition, string series)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }
}
