using KubeDiscovery.Api.Compositions;
using KubeDiscovery.Graph.Model;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.Tests.Api;

public sealed class ListPagesTests
{
    private static readonly ResourceType ConfigMaps = new() { Group = "", Version = "v1", Kind = "ConfigMap", Plural = "configmaps", Namespaced = true };
    private static readonly ObjectRecord[] Roots = Enumerable.Range(0, 5)
        .Select(i => new ObjectRecord(ConfigMaps, "v1", "ns", $"cm{i}", $"uid-{i}", null, [], [], ObjectStatus.None)).ToArray();

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void ContinueToken_ServesTheKeptMembership_ToItsOwnerAndQueryOnly()
    {
        var pages = new ListPages(_time);
        var token = pages.Keep("alice", "compositions|ns", Roots, next: 2);

        var found = pages.Find(token, "alice", "compositions|ns");
        found.Result.ShouldBe(ListPages.LookupResult.Found);
        found.Roots.ShouldBeSameAs(Roots);
        found.Next.ShouldBe(2);
        pages.Find(token, "bob", "compositions|ns").Result.ShouldBe(ListPages.LookupResult.Malformed);
        pages.Find(token, "alice", "compositions|other").Result.ShouldBe(ListPages.LookupResult.Malformed);
        pages.Find("not-a-token", "alice", "compositions|ns").Result.ShouldBe(ListPages.LookupResult.Malformed);
    }

    [Fact]
    public void ContinueToken_ExpiresAfterFiveMinutes_OnTheClock()
    {
        var pages = new ListPages(_time);
        var token = pages.Keep("alice", "q", Roots, next: 2);

        _time.Advance(ListPages.Lifetime - TimeSpan.FromSeconds(1));
        pages.Find(token, "alice", "q").Result.ShouldBe(ListPages.LookupResult.Found);
        _time.Advance(TimeSpan.FromSeconds(2));
        pages.Find(token, "alice", "q").Result.ShouldBe(ListPages.LookupResult.Expired);
    }

    [Fact]
    public void KeptLists_AreBounded_TheOldestExpiringFirst()
    {
        var pages = new ListPages(_time);
        var first = pages.Keep("alice", "q", Roots, next: 1);
        for (var i = 0; i < ListPages.MaxLists; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(10));
            pages.Keep("alice", "q", Roots, next: 1);
        }

        pages.Find(first, "alice", "q").Result.ShouldBe(ListPages.LookupResult.Expired);
    }
}
