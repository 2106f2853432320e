using System.Diagnostics;
using System.Text.Json.Nodes;
using OpenQA.Selenium;

namespace KubeDiscovery.EndToEnd.Tests.Ui;

/// <summary>
/// The web view on a server following the kube-apiserver double with history: a change in the cluster
/// reaches the open page through its watch, and its diff is read in the history view.
/// </summary>
public sealed class LiveWebViewTests(HistoryClusterServer server) : IClassFixture<HistoryClusterServer>
{
    private static JsonObject Deployment(string name, string image, bool available) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default", ["labels"] = new JsonObject { ["app"] = name } },
        ["spec"] = new JsonObject
        {
            ["replicas"] = 1,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = image }) } },
        },
        ["status"] = new JsonObject
        {
            ["replicas"] = 1,
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Available",
                ["status"] = available ? "True" : "False",
                ["reason"] = available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
            }),
        },
    };

    [Fact]
    public async Task AChangeInTheCluster_AppearsWithin2sWithoutReload_AndItsDiffIsReadInHistory()
    {
        const string name = "ui-live";
        server.Cluster.Store.Apply(Deployment(name, "nginx:1.25", available: false));
        using var proxy = await KubectlProxy.StartAsync(server, server.Pki.AdminCertFile, server.Pki.AdminKeyFile);
        using var browser = new Browser("live");
        const string view = "#/composition/Deployment.apps/default/" + name;
        browser.Open(proxy.Ui + view);
        browser.WaitUntil(() => (string?)browser.Script("return document.body.dataset.ready") == view && browser.Find("#list").Text.Contains("MinimumReplicasUnavailable", StringComparison.Ordinal),
            "the Deployment shown as unavailable (the index may take a moment to see it)");
        browser.Script("window.kdSamePage = true"); // gone if the page reloads
        browser.Screenshot("before");

        var clock = Stopwatch.StartNew();
        server.Cluster.Store.Apply(Deployment(name, "nginx:1.25", available: true));
        browser.WaitUntil(() => browser.Find("#list").Text.Contains("Ready True — MinimumReplicasAvailable", StringComparison.Ordinal),
            "the change on the page", TimeSpan.FromSeconds(2));
        var seenAfter = clock.Elapsed;
        ((bool?)browser.Script("return window.kdSamePage === true")).ShouldBe(true, "the page reloaded");
        browser.Find("#details").Text.ShouldContain("MinimumReplicasAvailable"); // the selected root's details follow too
        browser.Screenshot("after");
        seenAfter.ShouldBeLessThan(TimeSpan.FromSeconds(2));

        // A meaningful change, then its diff in the history view, reached without reloading.
        server.Cluster.Store.Apply(Deployment(name, "nginx:1.27", available: true));
        browser.Find("#tab-history").Click();
        browser.WaitForView("#/history/Deployment.apps/default/" + name);
        // Found and clicked in one step: the list is rebuilt when a reload brings something new.
        var second = browser.WaitFor(() =>
        {
            var button = browser.Driver.FindElements(By.CssSelector("#list ol.changes button")).FirstOrDefault(b => b.Text.Contains("#2 Updated", StringComparison.Ordinal));
            if (button is null) return null;
            var text = button.Text;
            button.Click();
            return text;
        }, "version 2 in the history view (it reloads when the tree changes), clicked");
        second.ShouldContain("spec.template.spec.containers");
        var diff = browser.Find("pre.diff");
        browser.WaitUntil(() => diff.FindElements(By.CssSelector("span.add")).Any(s => s.Text.Contains("nginx:1.27", StringComparison.Ordinal)), "the added line in the diff");
        diff.FindElements(By.CssSelector("span.del")).ShouldContain(s => s.Text.Contains("nginx:1.25", StringComparison.Ordinal));
        ((bool?)browser.Script("return window.kdSamePage === true")).ShouldBe(true);
        browser.Screenshot("diff");
        browser.ConsoleLines().ShouldNotContain(l => l.Contains("Content Security Policy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ALostConnection_ShowsABanner_AndItsReturnAnother_AndTheViewCatchesUp()
    {
        const string name = "ui-banner";
        server.Cluster.Store.Apply(Deployment(name, "nginx:1.25", available: false));
        var proxy = await KubectlProxy.StartAsync(server, server.Pki.AdminCertFile, server.Pki.AdminKeyFile);
        var port = proxy.Port;
        try
        {
            using var browser = new Browser("banner");
            const string view = "#/composition/Deployment.apps/default/" + name;
            browser.Open(proxy.Ui + view);
            browser.WaitUntil(() => (string?)browser.Script("return document.body.dataset.ready") == view && browser.Find("#list").Text.Contains("MinimumReplicasUnavailable", StringComparison.Ordinal),
                "the Deployment shown");

            proxy.Dispose(); // the watch stream breaks, as when a laptop loses the network
            var banner = browser.Find("#banner.lost");
            banner.Text.ShouldStartWith("Connection lost");
            browser.Screenshot("lost");

            // Meanwhile the cluster changes; the page learns it once the connection is back.
            server.Cluster.Store.Apply(Deployment(name, "nginx:1.25", available: true));
            proxy = await KubectlProxy.StartAsync(server, server.Pki.AdminCertFile, server.Pki.AdminKeyFile, port: port);
            browser.Find("#banner.restored").Text.ShouldStartWith("Connection restored");
            browser.WaitUntil(() => browser.Find("#list").Text.Contains("MinimumReplicasAvailable", StringComparison.Ordinal), "the change made while disconnected");
            browser.Screenshot("restored");
        }
        finally
        {
            proxy.Dispose();
        }
    }
}
