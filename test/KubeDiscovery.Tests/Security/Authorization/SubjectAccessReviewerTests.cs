using KubeDiscovery.Security;
using KubeDiscovery.Security.Authentication;
using KubeDiscovery.Security.Authorization;
using KubeDiscovery.TestDoubles;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.Tests.Security.Authorization;

public sealed class SubjectAccessReviewerTests(ReviewCluster cluster) : IClassFixture<ReviewCluster>
{
    private readonly FakeTimeProvider _time = new();

    private SubjectAccessReviewer Reviewer() =>
        new(cluster.Client(), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), _time, NullLogger.Instance);

    private static RequestAttributes Compositions(string ns) => new()
    {
        Verb = "get",
        Path = $"/apis/kubediscovery.io/v1/namespaces/{ns}/deployments/web/compositions",
        IsResourceRequest = true,
        ApiGroup = "kubediscovery.io",
        ApiVersion = "v1",
        Namespace = ns,
        Resource = "deployments",
        Subresource = "compositions",
        Name = "web",
    };

    [Fact]
    public async Task Review_SendsKubeApiserversAttributes_AndReadsAllowed()
    {
        var user = UserInfo.Create("erin-" + Guid.NewGuid(), "uid-9", ["team-a", "system:authenticated"],
            new Dictionary<string, IReadOnlyList<string>> { ["scopes"] = ["x"] });
        cluster.Reviews.Allow(user.Name, ["get"], ["kubediscovery.io"], ["*/compositions"], "shop");

        (await Reviewer().ReviewAsync(user, Compositions("shop"), default)).Outcome.ShouldBe(AccessOutcome.Allow);

        var spec = cluster.Reviews.AccessReviewSpecs.Last(s => s["user"]!.GetValue<string>() == user.Name);
        spec["uid"]!.GetValue<string>().ShouldBe("uid-9");
        spec["groups"]!.AsArray().Select(g => g!.GetValue<string>()).ShouldBe(["team-a", "system:authenticated"]);
        spec["extra"]!["scopes"]!.AsArray().Single()!.GetValue<string>().ShouldBe("x");
        var attributes = spec["resourceAttributes"]!;
        (attributes["verb"]!.GetValue<string>(), attributes["group"]!.GetValue<string>(), attributes["version"]!.GetValue<string>(),
         attributes["resource"]!.GetValue<string>(), attributes["subresource"]!.GetValue<string>(),
         attributes["namespace"]!.GetValue<string>(), attributes["name"]!.GetValue<string>())
            .ShouldBe(("get", "kubediscovery.io", "v1", "deployments", "compositions", "shop", "web"));
    }

    [Fact]
    public async Task TransientFailure_IsRetriedAfterTheReviewBackoff_OnTheClock()
    {
        var user = UserInfo.Create("judy-" + Guid.NewGuid());
        cluster.Reviews.Allow(user.Name, ["get"], ["kubediscovery.io"], ["*/compositions"], "shop");
        int Sent() => cluster.Server.Requests.Count(r => r.Path.EndsWith("/subjectaccessreviews", StringComparison.Ordinal));
        var before = Sent();
        cluster.Reviews.Fail = true;

        var started = _time.GetUtcNow();
        var review = Reviewer().ReviewAsync(user, Compositions("shop"), default).AsTask();
        while (Sent() == before) await Task.Delay(10); // the first attempt reached the cluster and failed
        cluster.Reviews.Fail = false;
        review.IsCompleted.ShouldBeFalse(); // waiting out the backoff on the test's clock, not the machine's

        // Move the clock until the retry has run (the backoff's timer may not be set yet when the failure is seen).
        var bound = System.Diagnostics.Stopwatch.StartNew();
        while (!review.IsCompleted && bound.Elapsed < TimeSpan.FromSeconds(30))
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(10);
        }
        (await review.WaitAsync(TimeSpan.FromSeconds(1))).Outcome.ShouldBe(AccessOutcome.Allow);
        (_time.GetUtcNow() - started).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(400)); // 500 ms ±20%
        (Sent() - before).ShouldBe(2);
    }

    [Fact]
    public async Task NotAllowed_IsNoOpinion_AndAnExplicitDenyCarriesItsReason()
    {
        var reviewer = Reviewer();
        (await reviewer.ReviewAsync(UserInfo.Create("frank-" + Guid.NewGuid()), Compositions("shop"), default)).Outcome.ShouldBe(AccessOutcome.NoOpinion);

        var denied = "grace-" + Guid.NewGuid();
        cluster.Reviews.DenyAll(denied, "blocked by policy");
        (await reviewer.ReviewAsync(UserInfo.Create(denied), Compositions("shop"), default)).ShouldBe(new AccessDecision(AccessOutcome.Deny, "blocked by policy"));
    }

    [Fact]
    public async Task Decisions_AreCachedFor10Seconds_AllowedAndDeniedAlike()
    {
        var allowed = UserInfo.Create("heidi-" + Guid.NewGuid());
        cluster.Reviews.Allow(allowed.Name, ["get"], ["*"], ["*"]);
        var denied = UserInfo.Create("ivan-" + Guid.NewGuid());
        var reviewer = Reviewer();

        for (var i = 0; i < 3; i++)
        {
            await reviewer.ReviewAsync(allowed, Compositions("shop"), default);
            await reviewer.ReviewAsync(denied, Compositions("shop"), default);
        }
        reviewer.ReviewsSent.ShouldBe(2);

        _time.Advance(TimeSpan.FromSeconds(9));
        await reviewer.ReviewAsync(allowed, Compositions("shop"), default);
        reviewer.ReviewsSent.ShouldBe(2);

        _time.Advance(TimeSpan.FromSeconds(2));
        await reviewer.ReviewAsync(allowed, Compositions("shop"), default);
        await reviewer.ReviewAsync(denied, Compositions("shop"), default);
        reviewer.ReviewsSent.ShouldBe(4);
    }

    [Fact]
    public async Task ReviewEndpointFailing_IsAnAuthorizationError()
    {
        var reviewer = Reviewer();
        cluster.Reviews.Fail = true;
        try
        {
            var review = reviewer.ReviewAsync(UserInfo.Create("judy"), Compositions("shop"), default).AsTask();
            var error = await Should.ThrowAsync<AuthorizationUnavailableException>(
                () => _time.DriveAsync(review, TimeSpan.FromMilliseconds(250)));
            error.Message.ShouldContain("500");
        }
        finally
        {
            cluster.Reviews.Fail = false;
        }
    }

    [Fact]
    public async Task AlwaysAllowGroupsAndPaths_NeedNoReview()
    {
        var reviewer = Reviewer();
        var authorizer = new Authorizer(reviewer, new SecurityOptions());
        (await authorizer.AuthorizeAsync(UserInfo.Create("root", groups: ["system:masters"]), Compositions("shop"), default)).IsAllowed.ShouldBeTrue();
        (await authorizer.AuthorizeAsync(UserInfo.Anonymous, new RequestAttributes { Verb = "get", Path = "/readyz" }, default)).IsAllowed.ShouldBeTrue();
        reviewer.ReviewsSent.ShouldBe(0);
    }
}
