namespace KubeDiscovery.EndToEnd.Tests.Ui;

/// <summary>The web view's home page is the overview of applications; an application's page draws it.</summary>
public sealed class ApplicationsViewTests(DemoServer server) : IClassFixture<DemoServer>
{
    [Fact]
    public async Task TheHomePage_ListsApplicationsAndWhatIsNotReadyWithItsCause_AndOpeningOneDrawsIt()
    {
        using var proxy = await KubectlProxy.StartAsync(server, server.Pki.AdminCertFile, server.Pki.AdminKeyFile, "/");
        using var browser = new Browser("applications-home");
        browser.Open(proxy.Ui);
        browser.WaitForView("");
        browser.Find("#title").Text.ShouldBe("Applications");
        browser.Find("#search").ShouldNotBeNull(); // search stays on top

        var notReady = browser.Find(".not-ready").Text;
        notReady.ShouldContain("Not ready (3)");
        notReady.ShouldContain("store/helm.checkout — MinimumReplicasUnavailable");
        notReady.ShouldContain("Pod/checkout-7d4b9c6f58-9vd7m: ImagePullBackOff: Back-off pulling image \"registry.example.com/store/checkout:2.1.0\"");
        notReady.ShouldContain("Pod/payments-5f9c8b7d46-p2q7r: CrashLoopBackOff");
        var namespaces = browser.Driver.FindElements(OpenQA.Selenium.By.CssSelector(".apps section.namespace h3")).Select(e => e.Text).ToList();
        namespaces.ShouldBe(["argocd", "flux-system", "podinfo", "store"]);
        var guestbook = browser.Find("tr[data-app='argocd.guestbook']").Text;
        guestbook.ShouldContain("argocd");
        guestbook.ShouldContain("53e28ff20cc530b9ada2173fbbd64d48338583ba");
        browser.Screenshot("home");

        browser.Find("tr[data-app='helm.checkout'] a").Click();
        browser.WaitForView("#/application/store/helm.checkout");
        browser.Find("#title").Text.ShouldBe("Application helm.checkout");
        browser.WaitUntil(() => browser.Find("#graph").GetDomAttribute("data-state") == "drawn", "the application drawn");
        // The application, its ConfigMap, Deployment, Service, ReplicaSet and two Pods.
        int.Parse(browser.Find("#graph").GetDomAttribute("data-nodes")!, System.Globalization.CultureInfo.InvariantCulture).ShouldBe(7);
        browser.Find("#list").Text.ShouldContain("Deployment/checkout");
        browser.Find(".app-summary").Text.ShouldContain("Why it is not ready: Pod/checkout-7d4b9c6f58-9vd7m: ImagePullBackOff");
        browser.Screenshot("application");

        browser.Find("#tab-connections").Click();
        browser.WaitForView("#/application/store/helm.checkout/connections");
        browser.WaitUntil(() => browser.Find(".app-body").Text.Contains("What it uses outside itself", StringComparison.Ordinal), "the connections shown");
        browser.Find(".app-body").Text.ShouldContain("runs-on");

        browser.ConsoleLines().ShouldNotContain(l => l.Contains("Content Security Policy", StringComparison.Ordinal) || l.StartsWith("Severe", StringComparison.Ordinal));
    }
}
