using KubeDiscovery.Security.Authentication;
using KubeDiscovery.TestDoubles;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.Tests.Security.Authentication;

public sealed class TokenReviewAuthenticatorTests(ReviewCluster cluster) : IClassFixture<ReviewCluster>
{
    private readonly FakeTimeProvider _time = new();

    private TokenReviewAuthenticator Authenticator() =>
        new(cluster.Client(), TimeSpan.FromSeconds(10), audiences: null, _time, NullLogger.Instance);

    [Fact]
    public async Task ValidToken_IsTheReviewedUser_AndIsCachedFor10Seconds()
    {
        var token = "token-" + Guid.NewGuid();
        cluster.Reviews.AddToken(token, "carol", ["dev"], uid: "u-1");
        var authenticator = Authenticator();

        var first = await authenticator.AuthenticateAsync(token, default);
        first.User.ShouldBe(UserInfo.Create("carol", "u-1", ["dev"]), new UserComparer());
        (await authenticator.AuthenticateAsync(token, default)).User!.Name.ShouldBe("carol");
        authenticator.ReviewsSent.ShouldBe(1);

        _time.Advance(TimeSpan.FromSeconds(11));
        await authenticator.AuthenticateAsync(token, default);
        authenticator.ReviewsSent.ShouldBe(2);
    }

    [Fact]
    public async Task InvalidToken_IsAnError_AndIsCachedToo()
    {
        var authenticator = Authenticator();
        var result = await authenticator.AuthenticateAsync("nobody-knows-this", default);
        result.User.ShouldBeNull();
        result.Error!.ShouldStartWith(TokenReviewAuthenticator.InvalidToken);
        await authenticator.AuthenticateAsync("nobody-knows-this", default);
        authenticator.ReviewsSent.ShouldBe(1);
    }

    [Fact]
    public async Task ReviewEndpointFailing_IsAnError_ThatIsNotCached()
    {
        var token = "token-" + Guid.NewGuid();
        cluster.Reviews.AddToken(token, "dave");
        var authenticator = Authenticator();
        cluster.Reviews.Fail = true;
        try
        {
            (await _time.DriveAsync(authenticator.AuthenticateAsync(token, default).AsTask(), TimeSpan.FromMilliseconds(250))).Error!.ShouldContain("TokenReview failed");
        }
        finally
        {
            cluster.Reviews.Fail = false;
        }
        (await authenticator.AuthenticateAsync(token, default)).User!.Name.ShouldBe("dave");
    }

    [Theory]
    [InlineData("Bearer abc", "abc")]
    [InlineData("bearer abc", "abc")]
    [InlineData("Bearer abc extra", "abc")]
    [InlineData("Bearer ", null)]
    [InlineData("Basic abc", null)]
    [InlineData("Bearer", null)]
    public void ReadBearer_FollowsKubeApiserver(string header, string? token) =>
        TokenReviewAuthenticator.ReadBearer(header).ShouldBe(token);

    private sealed class UserComparer : IEqualityComparer<UserInfo?>
    {
        public bool Equals(UserInfo? x, UserInfo? y) =>
            x is not null && y is not null && x.Name == y.Name && x.Uid == y.Uid && x.Groups.SequenceEqual(y.Groups);

        public int GetHashCode(UserInfo? obj) => obj?.Name.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}
