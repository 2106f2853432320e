using KubeDiscovery.Graph.Applications;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Graph.Tests.Connections;

namespace KubeDiscovery.Graph.Tests.Applications;

public sealed class ApplicationListCacheTests
{
    private static readonly AppKey Checkout = new("helm", "store", "checkout");
    private static readonly AppKey Podinfo = new("helmrelease", "podinfo", "podinfo");
    private static readonly AppKey Guestbook = new("argocd", "argocd", "guestbook");
    private static readonly AppKey Payments = new("instance", "store", "payments");

    private readonly DemoCluster _demo = new();

    private ApplicationListCache NewCacheHolding(params AppKey[] keys)
    {
        var cache = new ApplicationListCache(_demo.Cache.Index);
        var at = cache.Refresh();
        foreach (var key in keys) cache.Store(at, key, Entry(key));
        return cache;
    }

    // What a list computes for an application, as the server's answers do.
    private ApplicationListCache.Entry Entry(AppKey key)
    {
        var index = _demo.Cache.Index;
        var members = ApplicationTopology.MemberRecords(index, key, sorted: false);
        var uids = new List<string>();
        var counts = new ApplicationRollup(index, CompositionOptions.Default, null).Count(members, uids);
        var summary = ApplicationSummary.Of(key, index.Applications.Root(key), members, [], counts, [], ApplicationTopology.HelmOf(index, key), null, []);
        return new ApplicationListCache.Entry(summary, uids);
    }

    [Fact]
    public void AChange_ForgetsTheApplicationItTouches_AndKeepsTheOthers()
    {
        var cache = NewCacheHolding(Podinfo, Guestbook);
        cache.TryGet(Podinfo, withUids: true, out var kept).ShouldBeTrue();
        kept.Summary.Objects.ShouldBe(Entry(Podinfo).Summary.Objects);

        var service = DemoCluster.Sample("Service", "podinfo", "podinfo");
        service["spec"]!["clusterIP"] = "10.96.0.99";
        _demo.Apply(service);
        cache.Refresh();

        cache.TryGet(Podinfo, withUids: false, out _).ShouldBeFalse();
        cache.TryGet(Guestbook, withUids: false, out _).ShouldBeTrue();
    }

    [Fact]
    public void APodDeletedFromUnderAMember_ForgetsItsApplication_ThroughItsOwners()
    {
        var cache = NewCacheHolding(Podinfo, Guestbook);
        _demo.Cache.Index.Delete(_demo.Get("pods", "podinfo", "podinfo-6d8c9f7b5c-x2v9c").Uid).ShouldBeTrue();
        cache.Refresh();

        cache.TryGet(Podinfo, withUids: false, out _).ShouldBeFalse();
        cache.TryGet(Guestbook, withUids: false, out _).ShouldBeTrue();
    }

    [Fact]
    public void AChangeToTheRootOrAReleaseRecord_ForgetsItsApplication()
    {
        var cache = NewCacheHolding(Podinfo, Guestbook);
        _demo.Apply(DemoCluster.Sample("HelmRelease", "podinfo", "podinfo"));
        cache.Refresh();
        cache.TryGet(Podinfo, withUids: false, out _).ShouldBeFalse();

        var helm = new AppKey("helm", "podinfo", "podinfo");
        var at = cache.Refresh();
        cache.Store(at, helm, Entry(helm));
        cache.TryGet(helm, withUids: false, out _).ShouldBeTrue();
        _demo.Apply(DemoCluster.Sample("Secret", "podinfo", "sh.helm.release.v1.podinfo.v3"));
        cache.Refresh();
        cache.TryGet(helm, withUids: false, out _).ShouldBeFalse();
        cache.TryGet(Guestbook, withUids: false, out _).ShouldBeTrue();
    }

    [Fact]
    public void WhatWasComputedBeforeAnotherListMovedTheCacheOn_IsNotKept()
    {
        var cache = new ApplicationListCache(_demo.Cache.Index);
        var at = cache.Refresh();
        var stale = Entry(Guestbook);
        _demo.Apply(DemoCluster.Sample("ConfigMap", "store", "checkout-config"));
        cache.Refresh();

        cache.Store(at, Guestbook, stale);

        cache.TryGet(Guestbook, withUids: false, out _).ShouldBeFalse();
    }

    [Fact]
    public void ANotReadyApplication_IsNeverKept_ItsCauseReadsWarningEvents()
    {
        Entry(Payments).Summary.Ready.ShouldBe(ReadyState.False);

        var cache = NewCacheHolding(Payments, Guestbook);

        cache.TryGet(Payments, withUids: false, out _).ShouldBeFalse();
        cache.Count.ShouldBe(1);
    }

    [Fact]
    public void AnEntryWithoutUids_DoesNotAnswerAListThatNeedsThem()
    {
        var cache = new ApplicationListCache(_demo.Cache.Index);
        var at = cache.Refresh();
        cache.Store(at, Guestbook, Entry(Guestbook) with { Uids = null });

        cache.TryGet(Guestbook, withUids: false, out _).ShouldBeTrue();
        cache.TryGet(Guestbook, withUids: true, out _).ShouldBeFalse();
    }

    [Fact]
    public void NewApplicationSettings_OrMoreChangesThanTheLogHolds_ForgetEverything()
    {
        var index = _demo.Cache.Index;
        var cache = NewCacheHolding(Podinfo, Guestbook);
        index.ConfigureApplications(new ApplicationSettings("argocd", [new ApplicationRule("team", "team")]));
        cache.Refresh();
        cache.Count.ShouldBe(0);

        var at = cache.Refresh();
        cache.Store(at, Guestbook, Entry(Guestbook));
        var unrelated = DemoCluster.Sample("ConfigMap", "store", "checkout-config");
        cache.Count.ShouldBe(1);
        for (var i = 0; i <= Graph.Index.ChangeLog.DefaultCapacity; i++) _demo.Apply(unrelated);
        cache.Refresh();
        cache.Count.ShouldBe(0);
    }

    [Fact]
    public void AMembersPartOfLabel_PlacesItsApplication_AndAChangeMovesIt()
    {
        var index = _demo.Cache.Index;
        ApplicationTopology.ParentOf(index, Payments).ShouldBe(new AppKey("part-of", "store", "store"));

        foreach (var kind in new[] { "Deployment", "Service" })
        {
            var payments = DemoCluster.Sample(kind, "store", "payments");
            payments["metadata"]!["labels"]!["app.kubernetes.io/part-of"] = "shop";
            _demo.Apply(payments);
        }

        ApplicationTopology.List(index, "store").Select(a => $"{a.Key.ItemName}{(a.Parent is { } p ? " < " + p.ItemName : "")}").ShouldBe(
            ["helm.checkout < part-of.store", "instance.payments < part-of.shop", "part-of.shop", "part-of.store"]);
        ApplicationTopology.ChildrenOf(index, new AppKey("part-of", "store", "store")).ShouldBe([Checkout]);
    }

    [Fact]
    public void MembersThatDisagreeOnPartOf_PlaceTheApplicationUnderTheFirstByName()
    {
        var service = DemoCluster.Sample("Service", "store", "payments");
        service["metadata"]!["labels"]!["app.kubernetes.io/part-of"] = "billing";
        _demo.Apply(service);

        ApplicationTopology.ParentOf(_demo.Cache.Index, Payments).ShouldBe(new AppKey("part-of", "store", "billing"));
        _demo.Cache.Index.Delete(_demo.Get("services", "store", "payments").Uid).ShouldBeTrue();
        ApplicationTopology.ParentOf(_demo.Cache.Index, Payments).ShouldBe(new AppKey("part-of", "store", "store"));
    }
}
