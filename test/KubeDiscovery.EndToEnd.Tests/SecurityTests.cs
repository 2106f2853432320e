using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>
/// Who may ask, and what they see: the real server acting behind a front proxy played by the test,
/// with kube-apiserver's TokenReviews and SubjectAccessReviews answered by the double.
/// </summary>
public sealed class SecurityTests(DelegatingDemoServer server) : IClassFixture<DelegatingDemoServer>
{
    private const string Cart = "/apis/kubediscovery.io/v1/namespaces/shop/deployments/cart/compositions";

    private FakeReviews Reviews => server.Cluster.Reviews;

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>A user allowed the compositions of shop, and to read what they are made of except Pods.</summary>
    private string WorkloadViewer(string name)
    {
        Reviews.Allow(name, ["get"], ["kubediscovery.io"], ["*/compositions"], "shop");
        Reviews.Allow(name, ["get", "list"], ["apps"], ["deployments", "replicasets"], "shop");
        Reviews.Allow(name, ["get", "list"], [""], ["configmaps"], "shop");
        return name;
    }

    private async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> Get(X509Certificate2? certificate, string path, params (string Name, string Value)[] headers)
    {
        using var client = ClusterPki.Client(certificate);
        using var request = new HttpRequestMessage(HttpMethod.Get, server.Url + path);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    private static JsonElement Json(string body) => JsonDocument.Parse(body).RootElement;

    [Fact]
    public async Task FrontProxyWithValidCertificate_ActsAsTheUserInItsHeaders()
    {
        var alice = WorkloadViewer(NewName("alice"));
        var (status, body, _) = await Get(server.Pki.FrontProxy, Cart,
            ("X-Remote-User", alice), ("X-Remote-Group", "dev"), ("X-Remote-Extra-Scopes", "view"));

        status.ShouldBe(HttpStatusCode.OK, body);
        var spec = Reviews.AccessReviewSpecs.Last(s => s["user"]!.GetValue<string>() == alice);
        spec["groups"]!.AsArray().Select(g => g!.GetValue<string>()).ShouldBe(["dev", "system:authenticated"]);
        spec["extra"]!["scopes"]!.AsArray().Single()!.GetValue<string>().ShouldBe("view");
    }

    [Fact]
    public async Task IdentityHeadersWithoutACertificate_AreIgnored_TheRequestIsAnonymous()
    {
        var alice = WorkloadViewer(NewName("alice"));
        var (status, body, _) = await Get(null, Cart, ("X-Remote-User", alice), ("X-Remote-Group", "system:masters"));

        status.ShouldBe(HttpStatusCode.Forbidden);
        Json(body).GetProperty("message").GetString()!.ShouldContain("User \"system:anonymous\" cannot get resource");
    }

    public static TheoryData<string> BadFrontProxies => ["another CA", "expired", "CN not allowed", "server-only usage"];

    [Theory]
    [MemberData(nameof(BadFrontProxies))]
    public async Task IdentityHeadersWithABadProxyCertificate_Are401(string bad)
    {
        var alice = WorkloadViewer(NewName("alice"));
        var certificate = bad switch
        {
            "another CA" => TestPki.SystemClock.Issue(TestPki.SystemClock.CreateCa("impostor-ca"), ClusterPki.FrontProxyName),
            "expired" => TestPki.SystemClock.Issue(server.Pki.FrontProxyCa, ClusterPki.FrontProxyName, notBefore: TestPki.SystemClock.Now.AddDays(-10), notAfter: TestPki.SystemClock.Now.AddDays(-1)),
            "CN not allowed" => TestPki.SystemClock.Issue(server.Pki.FrontProxyCa, "not-the-front-proxy"),
            _ => TestPki.SystemClock.Issue(server.Pki.FrontProxyCa, ClusterPki.FrontProxyName, usages: [TestPki.ServerAuth]),
        };
        var (status, body, _) = await Get(certificate, Cart, ("X-Remote-User", alice));

        status.ShouldBe(HttpStatusCode.Unauthorized, body);
        var json = Json(body);
        (json.GetProperty("kind").GetString(), json.GetProperty("reason").GetString(), json.GetProperty("message").GetString(), json.GetProperty("code").GetInt32())
            .ShouldBe(("Status", "Unauthorized", "Unauthorized", 401));
    }

    [Fact]
    public async Task ClientCertificateFromTheClientCa_IsItsCommonName_WithOrganizationsAsGroups()
    {
        var team = NewName("team");
        Reviews.Allow(team, ["get"], ["kubediscovery.io"], ["*/compositions"], "shop");
        Reviews.Allow(team, ["get"], ["*"], ["*"], "shop");
        var bob = TestPki.SystemClock.Issue(server.Pki.ClientCa, "bob", [team]);
        var (certFile, keyFile) = TestPki.WritePem(bob, server.Pki.Directory, "bob-" + team);

        var result = await server.KubectlWith(["--client-certificate", certFile, "--client-key", keyFile], "get", "--raw", Cart);

        result.ExitCode.ShouldBe(0, result.Stderr);
        Json(result.Stdout).GetProperty("root").GetProperty("name").GetString().ShouldBe("cart");
        Reviews.AccessReviewSpecs.ShouldContain(s => s["user"]!.GetValue<string>() == "bob" && s["groups"]!.AsArray().Any(g => g!.GetValue<string>() == team));
    }

    [Fact]
    public async Task BearerToken_IsResolvedByTokenReview_AndCached()
    {
        var carol = WorkloadViewer(NewName("carol"));
        var token = "token-" + Guid.NewGuid();
        Reviews.AddToken(token, carol);

        var before = Reviews.TokenReviews;
        for (var i = 0; i < 3; i++)
        {
            var result = await server.KubectlWith([$"--token={token}"], "get", "--raw", Cart);
            result.ExitCode.ShouldBe(0, result.Stderr);
        }
        (Reviews.TokenReviews - before).ShouldBe(1);
    }

    [Fact]
    public async Task UnknownBearerToken_Is401_ForKubectlToo()
    {
        var result = await server.KubectlWith(["--token=nobody-knows-this"], "get", "--raw", Cart);
        result.ExitCode.ShouldNotBe(0);
        result.Stderr.ShouldContain("Unauthorized");
    }

    [Fact]
    public async Task Denied_Is403_WithKubeApiserversMessage()
    {
        var dave = NewName("dave");
        var (status, body, response) = await Get(server.Pki.FrontProxy, Cart, ("X-Remote-User", dave));

        status.ShouldBe(HttpStatusCode.Forbidden);
        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        var json = Json(body);
        json.GetProperty("message").GetString().ShouldBe(
            $"deployments.kubediscovery.io \"cart\" is forbidden: User \"{dave}\" cannot get resource \"deployments/compositions\" in API group \"kubediscovery.io\" in the namespace \"shop\"");
        json.GetProperty("reason").GetString().ShouldBe("Forbidden");
        json.GetProperty("details").GetRawText().ShouldBe("{\"name\":\"cart\",\"group\":\"kubediscovery.io\",\"kind\":\"deployments\"}");
    }

    [Fact]
    public async Task ExplicitDeny_AppendsTheReviewersReason()
    {
        var eve = NewName("eve");
        Reviews.DenyAll(eve, "blocked by policy");
        var (_, body, _) = await Get(server.Pki.FrontProxy, "/apis/kubediscovery.io/v1", ("X-Remote-User", eve));
        Json(body).GetProperty("message").GetString().ShouldBe($"forbidden: User \"{eve}\" cannot get path \"/apis/kubediscovery.io/v1\": blocked by policy");
    }

    [Fact]
    public async Task Decisions_AreCached_ARepeatedRequestSendsNoReview()
    {
        var alice = WorkloadViewer(NewName("alice"));
        (await Get(server.Pki.FrontProxy, Cart, ("X-Remote-User", alice))).Status.ShouldBe(HttpStatusCode.OK);
        var before = Reviews.AccessReviews;
        (await Get(server.Pki.FrontProxy, Cart, ("X-Remote-User", alice))).Status.ShouldBe(HttpStatusCode.OK);
        Reviews.AccessReviews.ShouldBe(before);
    }

    [Fact]
    public async Task HealthChecks_AreOpenToAnonymous_WithoutReviews()
    {
        var before = Reviews.AccessReviews;
        foreach (var path in new[] { "/livez", "/readyz", "/healthz" })
        {
            (await Get(null, path)).Status.ShouldBe(HttpStatusCode.OK);
        }
        Reviews.AccessReviews.ShouldBe(before);
    }

    [Fact]
    public async Task UserWhoMayNotReadPods_GetsTheTreeWithoutThem_CountedAsHidden()
    {
        var alice = WorkloadViewer(NewName("alice"));
        var (status, body, _) = await Get(server.Pki.FrontProxy, Cart, ("X-Remote-User", alice));

        status.ShouldBe(HttpStatusCode.OK, body);
        var root = Json(body).GetProperty("root");
        var children = root.GetProperty("children").EnumerateArray().ToList();
        children.Select(c => c.GetProperty("kind").GetString()).ShouldBe(["ConfigMap", "ReplicaSet"]);
        var replicaSet = children[1];
        replicaSet.GetProperty("children").GetArrayLength().ShouldBe(0);
        replicaSet.GetProperty("hiddenChildren").GetInt32().ShouldBe(2);
        root.TryGetProperty("hiddenChildren", out _).ShouldBeFalse();

        // An admin sees the two Pods.
        Json(await server.GetRaw(Cart)).GetProperty("root").GetProperty("children")[1].GetProperty("children").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task UserWhoMayNotReadTheRoot_Gets404_TheSameAsForAMissingObject()
    {
        var frank = NewName("frank");
        Reviews.Allow(frank, ["get"], ["kubediscovery.io"], ["*/compositions"], "shop");
        Reviews.Allow(frank, ["get"], [""], ["pods"], "shop");

        var (status, body, _) = await Get(server.Pki.FrontProxy, Cart, ("X-Remote-User", frank));
        var (missingStatus, missingBody, _) = await Get(server.Pki.FrontProxy, Cart.Replace("/cart/", "/no-such-thing/"), ("X-Remote-User", frank));

        status.ShouldBe(HttpStatusCode.NotFound);
        missingStatus.ShouldBe(HttpStatusCode.NotFound);
        body.Replace("cart", "X").ShouldBe(missingBody.Replace("no-such-thing", "X"));
    }

    [Fact]
    public async Task AllObjectsList_LeavesOutRootsTheUserMayNotRead()
    {
        var grace = WorkloadViewer(NewName("grace"));
        Reviews.Allow(grace, ["get"], ["kubediscovery.io"], ["*/compositions"]);
        var (status, body, _) = await Get(server.Pki.FrontProxy, "/apis/kubediscovery.io/v1/deployments/*/compositions", ("X-Remote-User", grace));

        status.ShouldBe(HttpStatusCode.OK, body);
        var namespaces = Json(body).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("metadata").GetProperty("namespace").GetString()).Distinct();
        namespaces.ShouldBe(["shop"]);
        (await server.GetRaw("/apis/kubediscovery.io/v1/deployments/*/compositions")).ShouldContain("\"namespace\":\"data\"");
    }

    [Fact]
    public async Task RecordedAggregatorRequests_AreAnsweredAsTheUsersTheyCarry()
    {
        // What kube-apiserver 1.19's aggregator really sent (test/fixtures/…/aggregator-requests.jsonl),
        // replayed with its front-proxy certificate: the availability probe, the OpenAPI download, kubectl.
        Reviews.AllowPath("system:authenticated", "/openapi/*");
        Reviews.AllowPath("system:authenticated", "/apis/kubediscovery.io/v1");
        var file = Path.Combine(AppContext.BaseDirectory, "fixtures", "kube-apiserver-1.19", "aggregator-requests.jsonl");
        foreach (var line in File.ReadLines(file).Where(l => l.Length > 0))
        {
            var recorded = Json(line);
            var path = recorded.GetProperty("path").GetString()!;
            var headers = recorded.GetProperty("headers").EnumerateObject()
                .Where(h => h.Name is not ("Host" or "Accept-Encoding"))
                .Select(h => (h.Name, h.Value.GetString()!)).ToArray();
            var user = headers.Single(h => h.Name == "X-Remote-User").Item2;

            var (status, body, _) = await Get(server.Pki.FrontProxy, path, headers);

            // Served, never refused: each recorded user is who RBAC allows. The OpenAPI download included.
            status.ShouldBe(HttpStatusCode.OK, $"{user} GET {path}: {body}");
            if (path == "/openapi/v2") Json(body).GetProperty("definitions").TryGetProperty("io.kubediscovery.v1.Composition", out _).ShouldBeTrue();
        }
    }

    [Fact]
    public async Task ReviewEndpointFailing_Is500_NotAnAnswer()
    {
        var henry = WorkloadViewer(NewName("henry"));
        Reviews.Fail = true;
        try
        {
            var (status, body, _) = await Get(server.Pki.FrontProxy, Cart, ("X-Remote-User", henry));
            status.ShouldBe(HttpStatusCode.InternalServerError);
            var json = Json(body);
            json.GetProperty("reason").GetString().ShouldBe("InternalError");
            json.GetProperty("message").GetString()!.ShouldStartWith("Internal error occurred: SubjectAccessReview failed");
        }
        finally
        {
            Reviews.Fail = false;
        }
    }

    [Fact]
    public async Task KubectlGetCompositions_ShowsOnlyWhatTheUserMayRead_AndNeedsListOnCompositions()
    {
        string[] As(string user)
        {
            var (certFile, keyFile) = TestPki.WritePem(TestPki.SystemClock.Issue(server.Pki.ClientCa, user), server.Pki.Directory, user);
            Reviews.AllowPath(user, "/api*"); // discovery, as system:discovery grants every authenticated user
            return ["--client-certificate", certFile, "--client-key", keyFile];
        }

        // kube-apiserver's reading of the path: "list compositions in shop", which frank has not been granted.
        var frank = WorkloadViewer(NewName("frank"));
        var refused = await server.KubectlWith(As(frank), "get", "compositions", "-n", "shop");
        refused.ExitCode.ShouldNotBe(0);
        refused.Stderr.ShouldContain($"User \"{frank}\" cannot list resource \"compositions\" in API group \"kubediscovery.io\" in the namespace \"shop\"");

        var erin = WorkloadViewer(NewName("erin"));
        Reviews.Allow(erin, ["list", "get"], ["kubediscovery.io"], ["compositions"], "shop");
        string[] asErin = As(erin);
        var result = await server.KubectlWith(asErin, "get", "compositions", "-n", "shop", "-o", "name");
        result.ExitCode.ShouldBe(0, result.Stderr);
        // Deployments yes; Postgres and Services are not hers to read, so their trees are not listed.
        result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(
            ["composition.kubediscovery.io/deployment.cart", "composition.kubediscovery.io/deployment.frontend"]);
        var table = await server.KubectlWith(asErin, "get", "composition", "deployment.cart", "-n", "shop");
        table.Stdout.ShouldContain("└─ReplicaSet/cart-84c6d7b9f5 (+2 hidden)");
        table.Stdout.ShouldNotContain("Pod/");
    }
}
