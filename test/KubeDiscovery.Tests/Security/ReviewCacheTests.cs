using KubeDiscovery.Security;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.Tests.Security;

public sealed class ReviewCacheTests
{
    private readonly FakeTimeProvider _time = new();
    private int _reviews;

    private ReviewCache<string> Cache() => new(_time, _ => TimeSpan.FromSeconds(10));

    private ValueTask<string> Ask(ReviewCache<string> cache, string user) =>
        cache.GetOrReviewAsync(user, _ =>
        {
            Interlocked.Increment(ref _reviews);
            return Task.FromResult("allowed:" + user);
        }, default);

    [Fact]
    public async Task ManyDistinctUsers_EvictOnlyTheLeastRecent_NeverEveryoneAtOnce()
    {
        var cache = Cache();
        // One past the bound: a cache that empties itself when full would now have forgotten everyone.
        for (var i = 0; i <= ReviewCache<string>.MaxEntries; i++) await Ask(cache, $"user-{i}");
        var sent = _reviews;
        for (var i = ReviewCache<string>.MaxEntries - 2_000; i <= ReviewCache<string>.MaxEntries; i++) await Ask(cache, $"user-{i}");
        _reviews.ShouldBe(sent, "the most recent users are answered from the cache");

        for (var i = 0; i < 20_000; i++) await Ask(cache, $"more-{i}");
        cache.Count.ShouldBeLessThanOrEqualTo(ReviewCache<string>.MaxEntries);
        sent = _reviews;
        for (var i = 18_000; i < 20_000; i++) await Ask(cache, $"more-{i}");
        _reviews.ShouldBe(sent);
    }

    [Fact]
    public async Task AnswersExpireOnTheClock()
    {
        var cache = Cache();
        await Ask(cache, "alice");
        _time.Advance(TimeSpan.FromSeconds(9));
        await Ask(cache, "alice");
        _reviews.ShouldBe(1);

        _time.Advance(TimeSpan.FromSeconds(2));
        await Ask(cache, "alice");
        _reviews.ShouldBe(2);
    }
}
