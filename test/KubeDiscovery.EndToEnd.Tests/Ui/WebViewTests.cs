using OpenQA.Selenium;

namespace KubeDiscovery.EndToEnd.Tests.Ui;

/// <summary>The web view on the sample cluster, in headless Chromium: through kubectl proxy under a path prefix, and directly.</summary>
public sealed class WebViewTests(DemoServer server) : IClassFixture<DemoServer>
{
    [Fact]
    public async Task ThroughKubectlProxyUnderAPrefix_SearchOpensAComposition_AndAnEdgeLeadsToTheConnectedObject()
    {
        using var proxy = await KubectlProxy.StartAsync(server, server.Pki.AdminCertFile, server.Pki.AdminKeyFile, "/k8s/clusters/demo/");
        using var browser = new Browser("demo-proxy");
        browser.Open(proxy.Ui);
        browser.WaitForView("");
        browser.Screenshot("home");

        var search = browser.Find("#search");
        search.SendKeys("storefront");
        var first = browser.Find("#results li.result");
        first.Text.ShouldContain("Deployment");
        first.Text.ShouldContain("storefront");
        browser.Screenshot("search");
        search.SendKeys(Keys.Enter);

        browser.WaitForView("#/composition/Deployment.apps/web/storefront");
        browser.WaitUntil(() => browser.Find("#graph").GetDomAttribute("data-state") == "drawn", "the composition drawn");
        int.Parse(browser.Find("#graph").GetDomAttribute("data-nodes")!).ShouldBeGreaterThanOrEqualTo(4); // Deployment, ReplicaSet, two Pods
        browser.Find("#list").Text.ShouldContain("ReplicaSet/storefront-7d9c5b8f6");
        browser.Screenshot("composition");

        browser.Find("#tab-connections").Click();
        browser.WaitForView("#/connections/Deployment.apps/web/storefront");
        browser.WaitUntil(() => browser.Find("#graph").GetDomAttribute("data-state") == "drawn", "the connections drawn");
        var list = browser.Find("#list").Text;
        list.ShouldContain("mounts");
        list.ShouldContain("Secret/web/session-keys"); // the admin reads Secrets
        browser.Screenshot("connections");

        // Follow the edge to the ConfigMap: its own connections, with the Deployment among what uses it.
        browser.Find("#list a[data-node='ConfigMap/web/storefront-config']").Click();
        browser.WaitForView("#/connections/ConfigMap/web/storefront-config?depth=1&direction=both");
        browser.WaitUntil(() => browser.Find("#list").Text.Contains("Used by", StringComparison.Ordinal), "what uses the ConfigMap");
        browser.Find("#list").Text.ShouldContain("Deployment/web/storefront");
        browser.Screenshot("followed-edge");

        browser.Find("a[href='#/dangling']").Click();
        browser.WaitForView("#/dangling");
        browser.Find(".report").Text.ShouldContain("ConfigMap/web/debug-tools");
        browser.Screenshot("dangling");

        browser.ConsoleLines().ShouldNotContain(l => l.Contains("Content Security Policy", StringComparison.Ordinal) || l.StartsWith("Severe", StringComparison.Ordinal));
    }

    [Fact]
    public void Directly_ThePageIsServedByTheServerItself_AndDrawsAComposition()
    {
        using var browser = new Browser("demo-direct");
        browser.Open(server.Url + "/apis/kubediscovery.io/v1/ui/#/composition/Postgres.db.example.com/shop/orders-db");
        browser.WaitForView("#/composition/Postgres.db.example.com/shop/orders-db");
        browser.WaitUntil(() => browser.Find("#graph").GetDomAttribute("data-state") == "drawn", "the composition drawn");
        var list = browser.Find("#list").Text;
        list.ShouldContain("Deployment/orders-db");
        list.ShouldContain("Service/orders-db");
        browser.Find("#details").Text.ShouldContain("Postgres/shop/orders-db");
        browser.Screenshot("composition");
        var light = (string)browser.Script("return getComputedStyle(document.body).backgroundColor")!;

        // The theme follows the system's: dark when it asks for dark, graph included, without a reload.
        browser.Driver.ExecuteCdpCommand("Emulation.setEmulatedMedia", new Dictionary<string, object?>
        {
            ["features"] = new[] { new Dictionary<string, object?> { ["name"] = "prefers-color-scheme", ["value"] = "dark" } },
        });
        browser.WaitUntil(() => (string)browser.Script("return getComputedStyle(document.body).backgroundColor")! != light, "the dark theme");
        var dark = (string)browser.Script("return getComputedStyle(document.body).backgroundColor")!;
        Luminance(dark).ShouldBeLessThan(Luminance(light));
        browser.Screenshot("composition-dark");
        browser.ConsoleLines().ShouldNotContain(l => l.Contains("Content Security Policy", StringComparison.Ordinal) || l.StartsWith("Severe", StringComparison.Ordinal));
    }

    [Fact]
    public void History_OnAServerThatRecordsNone_SaysHowToTurnItOn()
    {
        using var browser = new Browser("demo-no-history");
        const string view = "#/history/Deployment.apps/shop/cart";
        browser.Open(server.Url + "/apis/kubediscovery.io/v1/ui/" + view);
        browser.WaitForView(view);
        browser.Find(".notice").Text.ShouldContain("start it with --history-db");
    }

    [Fact]
    public void AUrlInTheApisPathForm_OpensThatObject_AndEveryPageNamesItsKindAlike()
    {
        using var browser = new Browser("demo-api-paths");
        var ui = server.Url + "/apis/kubediscovery.io/v1/ui/";
        string Title() => browser.Find("#title").Text;

        browser.Open(ui + "#/namespaces/shop/deployments/frontend");
        browser.WaitForView("#/namespaces/shop/deployments/frontend");
        browser.WaitUntil(() => browser.Find("#graph").GetDomAttribute("data-state") == "drawn", "the composition drawn");
        Title().ShouldBe("Deployment frontend");
        browser.Find("#tab-composition").GetDomAttribute("aria-current").ShouldBe("page");

        // A short name and a subresource, as the API takes them.
        const string connections = "#/namespaces/shop/deploy/frontend/connections";
        browser.Open(ui + connections);
        browser.WaitForView(connections);
        Title().ShouldBe("Deployment frontend");
        browser.Find("#tab-connections").GetDomAttribute("aria-current").ShouldBe("page");

        // The history page (this server records none) and an object that does not exist name the kind the same way.
        const string history = "#/history/deployments/shop/cart";
        browser.Open(ui + history);
        browser.WaitForView(history);
        Title().ShouldBe("Deployment cart");
        const string missing = "#/namespaces/shop/deployments.apps/nosuch";
        browser.Open(ui + missing);
        browser.WaitForView(missing);
        Title().ShouldBe("Deployment nosuch");
        browser.Find(".notice").Text.ShouldContain("Not found");

        // A cluster-scoped object by its path; anything else is still no page.
        browser.Open(ui + "#/namespaces/shop");
        browser.WaitForView("#/namespaces/shop");
        Title().ShouldBe("Namespace shop");
        browser.Open(ui + "#/namespaces/shop/deployments/frontend/bogus");
        browser.WaitForView("#/namespaces/shop/deployments/frontend/bogus");
        Title().ShouldBe("No such page");
    }

    /// <summary>Relative luminance, roughly, of a computed <c>rgb(r, g, b)</c> colour.</summary>
    private static double Luminance(string rgb)
    {
        var parts = rgb[(rgb.IndexOf('(', StringComparison.Ordinal) + 1)..rgb.IndexOf(')', StringComparison.Ordinal)].Split(',').Select(p => double.Parse(p.Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return (0.2126 * parts[0]) + (0.7152 * parts[1]) + (0.0722 * parts[2]);
    }
}

/// <summary>A ReplicaSet with 40 Pods: one expandable group, never 40 boxes, until asked.</summary>
public sealed class WideFanOutViewTests(WideSnapshotServer server) : IClassFixture<WideSnapshotServer>
{
    [Fact]
    public async Task FortyPods_AreOneGroupWithTheirReadiness_UntilExpanded_AndCollapseAgain()
    {
        using var proxy = await KubectlProxy.StartAsync(server, server.Pki.AdminCertFile, server.Pki.AdminKeyFile);
        using var browser = new Browser("fan-out");
        browser.Open(proxy.Ui + "#/composition/ReplicaSet.apps/wide/wide-7f9c");
        browser.WaitForView("#/composition/ReplicaSet.apps/wide/wide-7f9c");
        var graph = browser.Find("#graph");
        browser.WaitUntil(() => graph.GetDomAttribute("data-state") == "drawn", "the composition drawn");
        graph.GetDomAttribute("data-nodes").ShouldBe("3"); // the Deployment above, the ReplicaSet, one group
        var group = browser.Find("#list button.group");
        group.Text.ShouldBe($"Show 40 Pods ({WideSnapshotServer.ReadyPods} ready, {WideSnapshotServer.Pods - WideSnapshotServer.ReadyPods} not ready)");
        group.GetDomAttribute("aria-expanded").ShouldBe("false");
        browser.Find("#list").Text.ShouldNotContain("Pod/wide-7f9c-000");
        browser.Screenshot("collapsed");

        group.Click();
        browser.WaitUntil(() => graph.GetDomAttribute("data-nodes") == "42", "the 40 Pods drawn");
        browser.Find("#list").Text.ShouldContain("Pod/wide-7f9c-039");
        browser.Find("#list button.group").GetDomAttribute("aria-expanded").ShouldBe("true");
        browser.Screenshot("expanded");

        // Keyboard: the group's button keeps the focus, and Enter folds the Pods back.
        browser.WaitUntil(() => (bool)browser.Script("return document.activeElement?.classList.contains('group') === true")!, "focus on the group");
        browser.Driver.SwitchTo().ActiveElement().SendKeys(Keys.Enter);
        browser.WaitUntil(() => graph.GetDomAttribute("data-nodes") == "3", "the Pods folded again");
    }
}
