namespace KubeDiscovery.EndToEnd.Tests;

/// <summary><c>kubectl get appinstances</c> against the demo cluster, whose samples carry each deployment tool's marks as it writes them.</summary>
public sealed class KubectlGetAppInstancesTests(DemoServer server) : IClassFixture<DemoServer>
{
    private async Task<string[]> Lines(params string[] args)
    {
        var result = await server.Kubectl(args);
        result.ExitCode.ShouldBe(0, result.Stderr);
        return result.Stdout.TrimEnd('\n').Split('\n').Select(l => l.TrimEnd()).ToArray();
    }

    private static string[] Cells(string line) => System.Text.RegularExpressions.Regex.Split(line, " {2,}");

    [Fact]
    public async Task AllNamespaces_ListsEachToolsApplications_WithReadinessStatusAndRevision()
    {
        var lines = await Lines("get", "appinstances", "-A");

        Cells(lines[0]).ShouldBe(["NAMESPACE", "NAME", "SOURCE", "READY", "STATUS", "REVISION", "OBJECTS", "LAST CHANGE", "AGE"]);
        var rows = lines[1..].Select(l => Cells(l)[..7]).Select(c => string.Join(' ', c)).ToArray();
        rows.ShouldBe(
        [
            "argocd argocd.guestbook argocd 1/1 Progressing 53e28ff20cc5 5",
            "argocd argocd.platform argocd 0/1 Healthy 53e28ff20cc5 1",
            "flux-system kustomization.apps flux 1/1 ReconciliationSucceeded main@sha1:6a2c9f1e0d7b 1",
            "flux-system kustomization.infrastructure flux 1/1 ReconciliationSucceeded main@sha1:6a2c9f1e0d7b 1",
            "podinfo helmrelease.podinfo flux 1/1 UpgradeSucceeded 6.5.4 5",
            "store helm.checkout helm 0/1 MinimumReplicasUnavailable 2 6",
            "store instance.payments labels 0/1 MinimumReplicasUnavailable - 5",
            "store part-of.store labels 0/2 helm.checkout: MinimumReplicasUnavailable - 11",
        ]);
    }

    [Fact]
    public async Task Wide_SaysWhyEachNotReadyApplicationIsNotReady_AndTheFieldSelectorFindsThem()
    {
        var lines = await Lines("get", "appinstances", "-n", "store", "-o", "wide", "--field-selector", "status.ready=False");

        var cause = lines[0].IndexOf("CAUSE", StringComparison.Ordinal);
        var parent = lines[0].IndexOf("PARENT", StringComparison.Ordinal);
        lines[1..].Select(l => $"{Cells(l)[0]}: {l[cause..Math.Min(l.Length, parent)].TrimEnd()}").ShouldBe(
        [
            "helm.checkout: Pod/checkout-7d4b9c6f58-9vd7m: ImagePullBackOff: Back-off pulling image \"registry.example.com/store/checkout:2.1.0\"",
            "instance.payments: Pod/payments-5f9c8b7d46-p2q7r: CrashLoopBackOff: back-off 5m0s restarting failed container=payments pod=payments-5f9c8b7d46-p2q7r (14 restarts)",
            "part-of.store: Pod/checkout-7d4b9c6f58-9vd7m: ImagePullBackOff: Back-off pulling image \"registry.example.com/store/checkout:2.1.0\" (+1 more)",
        ]);
        (await Lines("get", "appinstances", "-A", "--field-selector", "source=flux", "-o", "name")).ShouldBe(
            ["application.kubediscovery.io/kustomization.apps", "application.kubediscovery.io/kustomization.infrastructure", "application.kubediscovery.io/helmrelease.podinfo"]);
        (await Lines("get", "appinstances", "-A", "-l", "helm.sh/chart=checkout-2.1.0", "-o", "name")).ShouldBe(["application.kubediscovery.io/helm.checkout"]);
    }

    [Fact]
    public async Task OneApplication_AsYaml_GroupsItsMembersByKind_AndNamesWhoElseClaimsThem()
    {
        var json = System.Text.Json.JsonDocument.Parse(string.Join('\n', await Lines("get", "appinstance", "argocd.guestbook", "-n", "argocd", "-o", "json"))).RootElement;
        json.GetProperty("members").EnumerateArray().Select(g => g.GetProperty("kind").GetString()).ShouldBe(["ConfigMap", "Deployment", "Service"]);
        json.GetProperty("spec").GetProperty("parent").GetString().ShouldBe("argocd.platform");
        var conflict = json.GetProperty("status").GetProperty("alsoClaimedBy").EnumerateArray().Single();
        conflict.GetProperty("object").GetString().ShouldBe("ConfigMap/feature-flags");
        conflict.GetProperty("by").EnumerateArray().Select(b => b.GetString()).ShouldBe(["store/helm.checkout"]);
    }

    [Fact]
    public async Task WhatIsBrokenInThisCluster_AndWhy_IsOneCallForCompositionsToo()
    {
        var names = await Lines("get", "compositions", "-A", "--field-selector", "status.ready=False", "-o", "name");
        names.ShouldContain("composition.kubediscovery.io/deployment.cart");
        names.ShouldContain("composition.kubediscovery.io/deployment.checkout");
        names.ShouldNotContain("composition.kubediscovery.io/deployment.frontend");

        var cart = System.Text.Json.JsonDocument.Parse(string.Join('\n', await Lines("get", "composition", "deployment.cart", "-n", "shop", "-o", "json"))).RootElement;
        var cause = cart.GetProperty("status").GetProperty("cause").EnumerateArray().Single();
        (cause.GetProperty("object").GetString(), cause.GetProperty("reason").GetString()).ShouldBe(("Pod/cart-84c6d7b9f5-m4jh4", "CrashLoopBackOff"));
        var frontend = System.Text.Json.JsonDocument.Parse(string.Join('\n', await Lines("get", "composition", "deployment.frontend", "-n", "shop", "-o", "json"))).RootElement;
        frontend.TryGetProperty("status", out _).ShouldBeFalse(); // ready: nothing to explain
    }

    [Fact]
    public async Task ABareName_IsNotFound_NamingTheApplicationsItMayMean()
    {
        var result = await server.Kubectl("get", "appinstance", "checkout", "-n", "store");
        result.ExitCode.ShouldNotBe(0);
        result.Stderr.ShouldContain("appinstances.kubediscovery.io \"checkout\" not found: item names are form.name; did you mean helm.checkout?");
    }

    [Fact]
    public async Task Explain_DescribesApplicationsFromOurOpenApi()
    {
        var text = string.Join('\n', await Lines("explain", "appinstances.status.cause"));
        text.ShouldContain("The not-ready objects at the bottom of the chains");
    }

    [Fact]
    public async Task AnApplicationsConnections_AreWhatItUsesOutsideItself()
    {
        var json = System.Text.Json.JsonDocument.Parse(string.Join('\n', await Lines("get", "--raw", "/apis/kubediscovery.io/v1/namespaces/store/appinstances/helm.checkout/connections"))).RootElement;
        json.GetProperty("kind").GetString().ShouldBe("ApplicationConnections");
        var uses = json.GetProperty("uses").EnumerateArray().Select(e => $"{e.GetProperty("from").GetString()} {e.GetProperty("link").GetString()} {e.GetProperty("to").GetString()}").ToList();
        uses.ShouldContain("Pod/store/checkout-7d4b9c6f58-5k2xq runs-on Node/node-2");
        uses.ShouldNotContain(u => u.Contains("ConfigMap/store/checkout-config", StringComparison.Ordinal)); // its own ConfigMap is inside it
    }
}
