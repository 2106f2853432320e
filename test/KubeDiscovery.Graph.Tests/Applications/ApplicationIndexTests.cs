using System.Text.Json.Nodes;
using KubeDiscovery.Graph.Applications;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Graph.Status;
using KubeDiscovery.Graph.Tests.Connections;

namespace KubeDiscovery.Graph.Tests.Applications;

public sealed class ApplicationIndexTests
{
    private readonly DemoCluster _demo = new();

    private List<string> Apps(string? ns) =>
        ApplicationTopology.List(_demo.Cache.Index, ns).Select(a => $"{a.Key.Namespace}/{a.Key.ItemName}{(a.Parent is { } p ? " < " + p.ItemName : "")}").ToList();

    [Fact]
    public void EverySourceInTheSample_IsRecognised_WithItsNesting()
    {
        Apps(null).ShouldBe(
        [
            "argocd/argocd.guestbook < argocd.platform",
            "argocd/argocd.platform",
            "flux-system/kustomization.apps < kustomization.infrastructure",
            "flux-system/kustomization.infrastructure",
            "podinfo/helmrelease.podinfo < kustomization.apps",
            "store/helm.checkout < part-of.store",
            "store/instance.payments < part-of.store",
            "store/part-of.store",
        ]);
    }

    [Fact]
    public void AnObjectTwoToolsClaim_GoesToTheMoreAuthoritative_AndTheOtherIsKept()
    {
        var apps = _demo.Cache.Index.Applications;
        var flags = _demo.Get("configmaps", "store", "feature-flags");
        apps.ClaimsOf(flags).ShouldBe([new AppKey("argocd", "argocd", "guestbook"), new AppKey("helm", "store", "checkout")]);
        // A chart's own instance label is the same application, not a second claim.
        apps.ClaimsOf(_demo.Get("deployments", "store", "checkout")).ShouldBe([new AppKey("helm", "store", "checkout")]);
        // Flux's helm-controller runs Helm: the HelmRelease is the application, the release a second claim.
        apps.ClaimsOf(_demo.Get("deployments", "podinfo", "podinfo")).ShouldBe([new AppKey("helmrelease", "podinfo", "podinfo"), new AppKey("helm", "podinfo", "podinfo")]);
        ApplicationTopology.MemberRecords(_demo.Cache.Index, new AppKey("helm", "store", "checkout")).Select(r => $"{r.Kind}/{r.Name}")
            .ShouldBe(["ConfigMap/checkout-config", "Deployment/checkout", "Service/checkout"]);
    }

    [Fact]
    public void OwnedObjects_BelongThroughTheirOwner_AndCarryNoMarksOfTheirOwn()
    {
        // The Deployment controller copies the Deployment's annotations to its ReplicaSets.
        var replicaSet = _demo.Get("replicasets", "store", "checkout-7d4b9c6f58");
        replicaSet.Marks.ShouldBeNull();
        _demo.Cache.Index.Applications.ClaimsOf(replicaSet).ShouldBeEmpty();
        _demo.Get("deployments", "store", "checkout").Marks.ShouldBe(new AppMarks(null, null, "checkout", "store"));
    }

    [Fact]
    public void ALabelOrAnnotationChange_MovesTheObjectAtOnce_AndTheOldApplicationRemembersIt()
    {
        var index = _demo.Cache.Index;
        var checkout = new AppKey("helm", "store", "checkout");
        var config = DemoCluster.Sample("ConfigMap", "store", "checkout-config");
        var annotations = config["metadata"]!["annotations"]!.AsObject();
        annotations["meta.helm.sh/release-name"] = "billing";
        var version = index.Applications.Version;
        var moved = _demo.Apply(config);

        index.Applications.Version.ShouldBeGreaterThan(version);
        ApplicationTopology.MemberRecords(index, checkout).ShouldNotContain(r => r.Name == "checkout-config");
        ApplicationTopology.MemberRecords(index, new AppKey("helm", "store", "billing")).Select(r => r.Name).ShouldBe(["checkout-config"]);
        index.Applications.Departed(checkout).ShouldContain(moved.Uid);
    }

    [Fact]
    public void ADeletedPod_IsRememberedByTheApplicationItsOwnersBelongTo()
    {
        var index = _demo.Cache.Index;
        var pod = _demo.Get("pods", "store", "checkout-7d4b9c6f58-9vd7m");
        index.Delete(pod.Uid).ShouldBeTrue();
        index.Applications.Departed(new AppKey("helm", "store", "checkout")).ShouldContain(pod.Uid);
    }

    [Fact]
    public void AHelmRelease_TakesItsRevisionAndStatusFromTheNewestReleaseRecordsLabels()
    {
        ApplicationTopology.HelmOf(_demo.Cache.Index, new AppKey("helm", "store", "checkout"))
            .ShouldBe(new HelmRevision(2, "deployed", DateTimeOffset.Parse("2026-11-25T09:00:00Z")));
        var next = DemoCluster.Sample("Secret", "store", "sh.helm.release.v1.checkout.v2");
        next["metadata"]!["name"] = "sh.helm.release.v1.checkout.v3";
        next["metadata"]!["uid"] = "5e1f0c52-0000-4000-8000-000000000003";
        next["metadata"]!["labels"]!["version"] = "3";
        next["metadata"]!["labels"]!["status"] = "failed";
        _demo.Apply(next);
        ApplicationTopology.HelmOf(_demo.Cache.Index, new AppKey("helm", "store", "checkout"))!.ShouldSatisfyAllConditions(
            h => h.Revision.ShouldBe(3), h => h.Status.ShouldBe("failed"));
    }

    [Fact]
    public void TheRollup_NamesTheNotReadyPodAtTheBottom_WithWhatItsContainerSays()
    {
        var index = _demo.Cache.Index;
        var key = new AppKey("helm", "store", "checkout");
        var members = ApplicationTopology.MemberRecords(index, key);
        var counts = new ApplicationRollup(index, CompositionOptions.Default, null).Count(members);
        var causes = NotReadyCauses.Find(new CompositionBuilder(index).BuildAll(members.Where(m => m.Status.Ready == ReadyState.False)));
        var app = ApplicationSummary.Of(key, null, members, [], counts, causes, ApplicationTopology.HelmOf(index, key), null, []);

        app.Ready.ShouldBe(ReadyState.False);
        app.Status.ShouldBe("MinimumReplicasUnavailable");
        (app.ReadyMembers, app.MembersWithStatus, app.Objects).ShouldBe((0, 1, 6));
        app.Revision.ShouldBe("2");
        var cause = app.Causes.ShouldHaveSingleItem();
        $"{cause.Object.Kind}/{cause.Object.Name}: {cause.Reason}: {cause.Message}"
            .ShouldBe("Pod/checkout-7d4b9c6f58-9vd7m: ImagePullBackOff: Back-off pulling image \"registry.example.com/store/checkout:2.1.0\"");
    }

    [Fact]
    public void TheRollup_CountsWhatTheBuilderWouldShow_HiddenOnesAsHidden()
    {
        var index = _demo.Cache.Index;
        var members = ApplicationTopology.MemberRecords(index, new AppKey("helm", "store", "checkout"));
        bool NoPods(ObjectRecord r) => r.Kind != "Pod";
        var trees = new CompositionBuilder(index, CompositionOptions.Default with { IsVisible = NoPods }).BuildAll(members);
        new ApplicationRollup(index, CompositionOptions.Default, NoPods).Count(members)
            .ShouldBe((Flatten(trees).Count(), Flatten(trees).Sum(n => n.HiddenChildren)));
        new ApplicationRollup(index, CompositionOptions.Default, NoPods).Count(members).ShouldBe((4, 2));

        static IEnumerable<CompositionNode> Flatten(IEnumerable<CompositionNode> nodes) => nodes.SelectMany(n => Flatten(n.Children).Prepend(n));
    }

    [Fact]
    public void ACrashingPodsCause_SaysHowOftenItRestarted()
    {
        var pod = _demo.Get("pods", "store", "payments-5f9c8b7d46-p2q7r");
        var cause = NotReadyCauses.Find([new CompositionBuilder(_demo.Cache.Index).Build(pod)]).ShouldHaveSingleItem();
        cause.Reason.ShouldBe("CrashLoopBackOff");
        cause.Message.ShouldBe("back-off 5m0s restarting failed container=payments pod=payments-5f9c8b7d46-p2q7r (14 restarts)");
    }

    [Fact]
    public void AnArgoCdApplication_IsReadyWhenHealthy_AndCarriesItsSyncRevision()
    {
        var platform = _demo.Get("applications.argoproj.io", "argocd", "platform");
        platform.Status.Ready.ShouldBe(ReadyState.True);
        platform.Status.Reason.ShouldBe("Healthy");
        platform.Status.Message.ShouldBe("sync: Synced");
        platform.Status.Revision.ShouldBe("53e28ff20cc530b9ada2173fbbd64d48338583ba");
        _demo.Get("kustomizations", "flux-system", "apps").Status.Revision.ShouldBe("main@sha1:6a2c9f1e0d7b4c3a8e5f2d1c0b9a8e7f6d5c4b3a");
        _demo.Get("helmreleases", "podinfo", "podinfo").Status.Revision.ShouldBe("6.5.4");
    }

    [Fact]
    public void ARule_GroupsByAPlatformsOwnLabel_AndRemovingItRefilesEverything()
    {
        var index = _demo.Cache.Index;
        index.ConfigureApplications(new ApplicationSettings("argocd", [new ApplicationRule("team", "team")]));
        ApplicationTopology.MemberRecords(index, new AppKey("team", "store", "payments")).ShouldBeEmpty(); // payments' objects belong to instance.payments first
        index.Applications.ClaimsOf(_demo.Get("deployments", "store", "payments")).ShouldBe([new AppKey("instance", "store", "payments"), new AppKey("team", "store", "payments")]);

        var loose = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "ledger-settings", ["namespace"] = "store", ["uid"] = "0b7a3c1e-0000-4000-8000-00000000000a", ["labels"] = new JsonObject { ["team"] = "payments" } },
        };
        _demo.Apply(loose);
        ApplicationTopology.MemberRecords(index, new AppKey("team", "store", "payments")).Select(r => r.Name).ShouldBe(["ledger-settings"]);
        index.ConfigureApplications(ApplicationSettings.Default);
        ApplicationTopology.MemberRecords(index, new AppKey("team", "store", "payments")).ShouldBeEmpty();
    }
}

public sealed class ApplicationRuleTests
{
    [Fact]
    public void AnApplicationRuleInARulesDocument_GroupsByItsLabel_AndABadOneIsRefusedWithItsSource()
    {
        var demo = new DemoCluster();
        demo.Cache.Relations.AddFile("rules.json", """
            {"apiVersion": "kubediscovery.io/v1", "kind": "RelationRules", "rules": [
              {"application": "team", "label": "team"},
              {"application": "helm", "label": "x"}
            ]}
            """);
        demo.Cache.Index.Applications.Settings.Rules.ShouldBe([new ApplicationRule("team", "team")]);
        demo.Cache.Relations.Current.Errors.ShouldHaveSingleItem().ToString().ShouldContain("rules.json: rules[1]: application \"helm\" must be");
        demo.Cache.Index.Applications.ClaimsOf(demo.Get("services", "store", "payments")).ShouldContain(new AppKey("team", "store", "payments"));
    }
}

public sealed class WarningCauseTests
{
    [Fact]
    public void APendingPodsCause_IsItsLatestWarning_AndTheLogKeepsFivePerObject()
    {
        var demo = new DemoCluster();
        var pod = demo.Get("pods", "store", "checkout-7d4b9c6f58-9vd7m");
        var log = demo.Cache.Index.Warnings;
        // The sample's own Warning Event, read as the snapshot loads it.
        log.Of(pod.Uid).ShouldHaveSingleItem().Reason.ShouldBe("Failed");
        for (var i = 0; i < 7; i++)
        {
            log.Record(pod.Uid, new KubeDiscovery.Graph.Events.Warning($"e{i}", "FailedMount", $"try {i}", 1, DateTimeOffset.Parse("2026-12-01T00:00:00Z").AddMinutes(i)));
        }
        log.Of(pod.Uid).Select(w => w.Message).ShouldBe(["try 6", "try 5", "try 4", "try 3", "try 2"]);

        var pending = new ObjectRecord(pod.Type, pod.ApiVersion, pod.Namespace, pod.Name, pod.Uid, pod.CreationTimestamp, pod.Owners, pod.Labels,
            new ObjectStatus(ReadyState.False, "Pending"));
        var cause = NotReadyCauses.Find([new CompositionNode(pending, 0)], r => log.Of(r.Uid)).ShouldHaveSingleItem();
        (cause.Reason, cause.Message).ShouldBe(("FailedMount", "try 6"));

        demo.Cache.Index.Delete(pod.Uid);
        log.Of(pod.Uid).ShouldBeEmpty();
        // An Event that arrives after its object is gone (another watch stream) is not kept for it.
        log.Record(pod.Uid, new KubeDiscovery.Graph.Events.Warning("late", "BackOff", "late", 1, DateTimeOffset.Parse("2026-12-01T01:00:00Z")));
        log.Of(pod.Uid).ShouldBeEmpty();
    }
}
