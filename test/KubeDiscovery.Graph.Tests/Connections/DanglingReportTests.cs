using KubeDiscovery.Graph.Connections;

namespace KubeDiscovery.Graph.Tests.Connections;

public sealed class DanglingReportTests
{
    private static List<string> Report(DemoCluster demo, string? ns) =>
        DanglingReport.Build(demo.Cache.Index, demo.Cache.Relations.Current, ns, (g, k) => demo.Cache.Catalog.FindByKind(g, k) is not null)
            .SelectMany(g => g.Items.Select(i => $"{g.Link} {i.Object} -> {i.Target.DisplayName}")).ToList();

    [Fact]
    public void TheSampleCluster_HasItsDeliberateBreakagesReported_AndNothingElse()
    {
        var demo = new DemoCluster();

        Report(demo, "web").ShouldBe(
        [
            "mounts Pod/web/debug-shell -> ConfigMap/web/debug-tools",
            "reads-env-from CronJob/web/nightly-report -> Secret/web/report-credentials",
            "routes-to Ingress/web/storefront -> Service/web/storefront-admin",
        ], ignoreOrder: true);
        // A namespace's report lists the objects in it; the cluster's adds cluster-scoped ones.
        Report(demo, null).ShouldContain("calls MutatingWebhookConfiguration/web-defaults -> Service/web/defaulter");
    }

    [Fact]
    public void DeletingATarget_MakesItsReferencesDangle_AndRecreatingItHealsThem()
    {
        var demo = new DemoCluster();
        var secret = demo.Get("secrets", "web", "session-keys");

        demo.Cache.Index.Delete(secret.Uid);

        Report(demo, "web").Where(l => l.EndsWith("Secret/web/session-keys", StringComparison.Ordinal)).ShouldBe(
        [
            "mounts Deployment/web/storefront -> Secret/web/session-keys",
            "mounts Pod/web/storefront-7d9c5b8f6-abcde -> Secret/web/session-keys",
            "mounts Pod/web/storefront-7d9c5b8f6-fghij -> Secret/web/session-keys",
            "mounts ReplicaSet/web/storefront-7d9c5b8f6 -> Secret/web/session-keys",
        ], ignoreOrder: true);
        demo.Around("pods", "web", "storefront-7d9c5b8f6-abcde").Nodes.Single(n => n.Id == "Secret/web/session-keys").Missing.ShouldBeTrue();

        demo.Cache.Index.Upsert(secret);

        Report(demo, "web").ShouldNotContain(l => l.Contains("session-keys", StringComparison.Ordinal));
    }

    [Fact]
    public void AnOwnerThatIsGone_IsReportedAsABrokenOwnerReference()
    {
        var demo = new DemoCluster();
        var rs = demo.Get("replicasets", "web", "storefront-7d9c5b8f6");

        demo.Cache.Index.Delete(demo.Get("deployments", "web", "storefront").Uid);

        Report(demo, "web").ShouldContain($"{DanglingReport.OwnerReference} {rs} -> Deployment.apps/web/storefront");
    }
}
