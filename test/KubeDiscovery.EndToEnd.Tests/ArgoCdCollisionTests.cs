using System.Diagnostics;
using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>
/// A cluster with Argo CD installed serves <c>applications</c> (short names <c>app</c>, <c>apps</c>, kind
/// Application). Through the aggregation layer, plain kubectl must reach both Argo CD's Applications and
/// ours: each name resolves to one of them, and neither hides the other.
/// </summary>
public sealed class ArgoCdCollisionTests(LiveClusterServer server) : IClassFixture<LiveClusterServer>, IAsyncLifetime
{
    private readonly string _home = Directory.CreateTempSubdirectory("kd-kubectl-home-").FullName;
    private FakeAggregator _aggregator = null!;
    private string _kubeconfig = "";

    public async Task InitializeAsync()
    {
        var store = server.Cluster.Store;
        store.Apply("""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"applications.argoproj.io"},
             "spec":{"group":"argoproj.io","scope":"Namespaced","names":{"plural":"applications","singular":"application","kind":"Application","shortNames":["app","apps"]},
                     "versions":[{"name":"v1alpha1","served":true,"storage":true}]}}
            """);
        store.Apply("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"argocd"}}""");
        store.Apply("""
            {"apiVersion":"argoproj.io/v1alpha1","kind":"Application","metadata":{"name":"guestbook","namespace":"argocd"},
             "spec":{"destination":{"namespace":"default"}},"status":{"health":{"status":"Healthy"},"sync":{"status":"Synced","revision":"0123456789abcdef0123456789abcdef01234567"}}}
            """);
        store.Apply("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"guestbook-settings","namespace":"default",
             "annotations":{"argocd.argoproj.io/tracking-id":"guestbook:/ConfigMap:default/guestbook-settings"}},"data":{"color":"blue"}}
            """);
        // Our server follows the cluster: wait until it has the Application as the application's root.
        var clock = Stopwatch.StartNew();
        while (!(await server.GetRaw("/apis/kubediscovery.io/v1/namespaces/argocd/appinstances")).Contains("argocd.guestbook", StringComparison.Ordinal))
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), "the live server never listed argocd.guestbook");
            await Task.Delay(50);
        }
        _aggregator = await FakeAggregator.StartAsync(server.Cluster, "kubediscovery.io", server.Url, server.Http);
        _kubeconfig = _aggregator.WriteKubeconfig(Path.Combine(_home, "kubeconfig"));
    }

    public async Task DisposeAsync()
    {
        await _aggregator.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }

    private async Task<string[]> Kubectl(params string[] args)
    {
        var result = await ProcessRunner.RunAsync("kubectl", args,
            env: new Dictionary<string, string?> { ["KUBECONFIG"] = _kubeconfig, ["HOME"] = _home });
        result.ExitCode.ShouldBe(0, result.Stderr);
        return result.Stdout.TrimEnd('\n').Split('\n');
    }

    [Fact]
    public async Task ApiResources_ListsBoth_UnderTheirOwnNames()
    {
        var lines = await Kubectl("api-resources", "--no-headers");
        var both = lines.Where(l => l.EndsWith(" Application", StringComparison.Ordinal)).Select(l => System.Text.RegularExpressions.Regex.Split(l.Trim(), " {2,}")).ToList();
        both.Select(c => string.Join(' ', c)).Order(StringComparer.Ordinal).ShouldBe(
        [
            "applications app,apps argoproj.io/v1alpha1 true Application",
            "appinstances appi kubediscovery.io/v1 true Application",
        ], ignoreOrder: true);
    }

    [Theory]
    [InlineData("applications")]
    [InlineData("app")]
    [InlineData("apps")]
    [InlineData("application")]
    public async Task ArgoCdsNames_StillReachArgoCdsApplications(string name)
    {
        var names = await Kubectl("get", name, "-n", "argocd", "-o", "name");
        names.ShouldBe(["application.argoproj.io/guestbook"]);
    }

    [Fact]
    public async Task OurName_ReachesOurs_WhichKnowsArgoCdsApplicationAsItsRoot()
    {
        var rows = await Kubectl("get", "appinstances", "-n", "argocd");
        rows[0].ShouldStartWith("NAME");
        var row = System.Text.RegularExpressions.Regex.Split(rows.Single(r => r.StartsWith("argocd.guestbook", StringComparison.Ordinal)), " {2,}");
        row[1..5].ShouldBe(["argocd", "0/0", "Healthy", "0123456789ab"]);
        (await Kubectl("get", "appi", "-n", "argocd", "-o", "name")).ShouldBe(["application.kubediscovery.io/argocd.guestbook"]);
    }
}
