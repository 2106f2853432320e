using KubeDiscovery.Graph.Index;
using KubeDiscovery.Graph.Search;
using Microsoft.Extensions.Time.Testing;
using static KubeDiscovery.Graph.Tests.Objects;

namespace KubeDiscovery.Graph.Tests.Search;

/// <summary>Finding objects by name, kind and namespace, best matches first.</summary>
public sealed class NameSearchTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ClusterIndex _index = new();

    private NameSearch Search()
    {
        _index.Upsert(Make(Widgets, "frontend", "shop"));
        _index.Upsert(Make(Widgets, "frontend-canary", "shop"));
        _index.Upsert(Make(ConfigMaps, "old-frontend", "shop"));
        _index.Upsert(Make(ConfigMaps, "frontend-config", "web"));
        _index.Upsert(Make(ConfigMaps, "cart", "frontend"));
        _index.Upsert(Make(Tenants, "acme", null));
        return new NameSearch(_index, _time);
    }

    private static List<string> Names(List<SearchHit> hits) => hits.Select(h => $"{h.Record.Kind}/{h.Record.Namespace}/{h.Record.Name} {h.Rank}").ToList();

    [Fact]
    public void AnExactName_ComesFirst_ThenPrefixes_ThenSubstrings_ThenKindOrNamespace()
    {
        var (hits, tooBroad) = Search().Find("Frontend", 10);

        Names(hits).ShouldBe(
        [
            "Widget/shop/frontend ExactName",
            "ConfigMap/web/frontend-config NamePrefix",
            "Widget/shop/frontend-canary NamePrefix",
            "ConfigMap/shop/old-frontend NameSubstring",
            "ConfigMap/frontend/cart KindOrNamespace",
        ]);
        tooBroad.ShouldBeFalse();
    }

    [Fact]
    public void KindNamespaceAndNameCanBeWrittenTogether()
    {
        var search = Search();

        Names(search.Find("configmap/shop/", 10).Hits).ShouldBe(["ConfigMap/shop/old-frontend KindOrNamespace"]);
        Names(search.Find("tenant//ac", 10).Hits).ShouldBe(["Tenant//acme KindOrNamespace"]);
    }

    [Fact]
    public void WhatTheCallerMayNotSee_IsNotFound_AndTheLimitCountsOnlyWhatIsShown()
    {
        var (hits, _) = Search().Find("frontend", 2, r => r.Kind != "Widget");

        Names(hits).ShouldBe(["ConfigMap/web/frontend-config NamePrefix", "ConfigMap/shop/old-frontend NameSubstring"]);
    }

    [Fact]
    public void Changes_AreSearchedAtOnce_FromTheIndexsChangeLog()
    {
        var search = Search();
        search.Find("checkout", 10).Hits.ShouldBeEmpty();

        _index.Upsert(Make(Widgets, "checkout", "shop"));
        _index.Delete("uid-Widget-shop-frontend-canary");
        _index.Upsert(Make(ConfigMaps, "frontend-config", "web")); // a new version of an object: found once

        Names(search.Find("checkout", 10).Hits).ShouldBe(["Widget/shop/checkout ExactName"]);
        Names(search.Find("frontend", 10).Hits).ShouldBe(
        [
            "Widget/shop/frontend ExactName",
            "ConfigMap/web/frontend-config NamePrefix",
            "ConfigMap/shop/old-frontend NameSubstring",
            "ConfigMap/frontend/cart KindOrNamespace",
        ]);
    }

    [Fact]
    public void ChangesTheLogNoLongerHolds_AreSearchedAfterARebuild_AtMostOnceASecond()
    {
        var small = new ClusterIndex();
        small.Upsert(Make(Widgets, "seed", "shop"));
        var search = new NameSearch(small, _time);
        search.Find("seed", 10).Hits.Count.ShouldBe(1);

        // More writes than the change log keeps: only a rebuild can tell what changed.
        for (var i = 0; i <= ChangeLog.DefaultCapacity; i++) small.Upsert(Make(ConfigMaps, $"burst-{i}", "shop"));
        search.Find("burst-4096", 10).Hits.ShouldBeEmpty(); // rebuilt less than a second ago
        _time.Advance(NameSearch.RebuildInterval);

        Names(search.Find("burst-4096", 10).Hits).ShouldBe(["ConfigMap/shop/burst-4096 ExactName"]);
    }
}
