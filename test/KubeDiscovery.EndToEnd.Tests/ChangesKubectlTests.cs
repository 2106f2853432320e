using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>
/// <c>kubectl get changes</c> on a live (fake) cluster with history: the table, <c>-o json</c> holding what
/// the API holds, <c>-w</c> as a live feed of what is changing, and a watch that shows a user only what
/// she may read (through the front proxy).
/// </summary>
public sealed class ChangesKubectlTests(HistoryClusterServer server) : IClassFixture<HistoryClusterServer>
{
    private const string Api = "/apis/kubediscovery.io/v1";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private FakeStore Store => server.Cluster.Store;

    private static JsonObject Deployment(string ns, string name, int replicas) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = name } },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "nginx:1.27" }) } },
        },
    };

    private static JsonObject ConfigMap(string ns, string name, string value) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["data"] = new JsonObject { ["k"] = value },
    };

    private async Task WaitForChanges(string ns, Func<string, bool> done)
    {
        var clock = Stopwatch.StartNew();
        var last = "";
        while (clock.Elapsed < Bound)
        {
            last = await server.GetRaw($"{Api}/namespaces/{ns}/changes?since=1h");
            if (done(last)) return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"the changes of {ns} did not get there within {Bound}: {last}");
    }

    private StreamingProcess StreamingKubectl(params string[] args) =>
        new("kubectl", ["--server", server.Url, "--insecure-skip-tls-verify", "--client-certificate", server.Pki.AdminCertFile, "--client-key", server.Pki.AdminKeyFile, .. args]);

    [Fact]
    public async Task KubectlGetChanges_PrintsATable_AndItsJsonHoldsWhatTheApiHolds()
    {
        const string ns = "e2e-changes";
        Store.Apply(Deployment(ns, "chg-web", 1));
        Store.Apply(ConfigMap(ns, "chg-settings", "a"));
        await WaitForChanges(ns, body => body.Contains("chg-web") && body.Contains("chg-settings"));

        var table = await server.Kubectl("get", "changes", "-n", ns);
        table.ExitCode.ShouldBe(0, table.Stderr);
        var lines = table.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["TIME", "OBJECT", "CHANGE", "WHO", "PATHS"]);
        lines.ShouldContain(l => l.Contains("Deployment/chg-web") && l.Contains("Created"));
        lines.ShouldContain(l => l.Contains("ConfigMap/chg-settings") && l.Contains("Created"));

        var json = await server.Kubectl("get", "changes", "-n", ns, "-o", "json");
        json.ExitCode.ShouldBe(0, json.Stderr);
        var items = JsonDocument.Parse(json.Stdout).RootElement.GetProperty("items");
        var raw = JsonDocument.Parse(await server.GetRaw($"{Api}/namespaces/{ns}/changes")).RootElement.GetProperty("items");
        items.GetArrayLength().ShouldBe(raw.GetArrayLength());
        items.EnumerateArray().ShouldAllBe(i => i.GetProperty("kind").GetString() == "Change");

        var all = await server.Kubectl("get", "changes", "-A", "--field-selector", "resource=configmaps,name=chg-settings");
        all.ExitCode.ShouldBe(0, all.Stderr);
        all.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ShouldAllBe(l => l.StartsWith(ns) && l.Contains("ConfigMap/chg-settings"));
    }

    [Fact]
    public async Task KubectlGetChangesWatch_PrintsEachChangeAsItIsRecorded()
    {
        const string ns = "e2e-changes-w";
        Store.Apply(Deployment(ns, "feed-web", 1));
        await WaitForChanges(ns, body => body.Contains("feed-web"));

        using var kubectl = StreamingKubectl("get", "changes", "-n", ns, "-w");
        await kubectl.WaitForLine(l => l.Contains("Deployment/feed-web") && l.Contains("Created"), Bound);

        Store.Apply(Deployment(ns, "feed-web", 3));
        await kubectl.WaitForLine(l => l.Contains("Deployment/feed-web") && l.Contains("Updated") && l.Contains("spec.replicas"), Bound);
        kubectl.Lines.Count(l => l.Contains("Created")).ShouldBe(1); // the list's change is not printed again
    }

    [Fact]
    public async Task AWatch_ThroughTheFrontProxy_ShowsAUserOnlyWhatSheMayRead()
    {
        const string ns = "e2e-changes-rbac";
        var user = $"wendy-{Guid.NewGuid():N}"[..14];
        server.Cluster.Reviews.Allow(user, ["list", "watch"], ["kubediscovery.io"], ["changes"], ns);
        server.Cluster.Reviews.Allow(user, ["get", "list"], ["apps"], ["deployments"], ns);
        Store.Apply(Deployment(ns, "rbac-web", 1));
        await WaitForChanges(ns, body => body.Contains("rbac-web"));
        var version = JsonDocument.Parse(await server.GetRaw($"{Api}/namespaces/{ns}/changes")).RootElement
            .GetProperty("metadata").GetProperty("resourceVersion").GetString();

        using var client = ClusterPki.Client(server.Pki.FrontProxy);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{server.Url}{Api}/namespaces/{ns}/changes?watch=true&resourceVersion={version}");
        request.Headers.Add("X-Remote-User", user);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var events = new StreamReader(await response.Content.ReadAsStreamAsync());

        // A ConfigMap she may not read changes first, then her Deployment: she is told of the Deployment only.
        Store.Apply(ConfigMap(ns, "rbac-hidden", "secret-ish"));
        await WaitForChanges(ns, body => body.Contains("rbac-hidden"));
        Store.Apply(Deployment(ns, "rbac-web", 2));
        var line = (await events.ReadLineAsync().WaitAsync(Bound))!;
        line.ShouldNotContain("rbac-hidden");
        var change = JsonDocument.Parse(line).RootElement.GetProperty("object");
        (change.GetProperty("name").GetString(), change.GetProperty("change").GetString()).ShouldBe(("rbac-web", "Updated"));
    }
}
