using System.Net;
using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.EndToEnd.Tests.Ui;

/// <summary>
/// The web view for a user RBAC keeps away from Secrets: the server asks the kube-apiserver double what
/// they may read, as it asks kube-apiserver, and no view shows them a Secret.
/// </summary>
public sealed class SecretsHiddenViewTests(DelegatingDemoServer server) : IClassFixture<DelegatingDemoServer>
{
    private const string Api = "/apis/kubediscovery.io/v1";

    [Fact]
    public async Task AUserWithoutRbacOnSecrets_SeesNoneInSearchOrAnyView_WhereAnAdminDoes()
    {
        var user = $"nosecrets-{Guid.NewGuid():N}"[..18];
        var reviews = server.Cluster.Reviews;
        reviews.Allow(user, ["get", "list"], ["kubediscovery.io"], ["ui", "search", "dangling"]);
        reviews.Allow(user, ["get"], ["kubediscovery.io"], ["*/compositions", "*/connections"]);
        reviews.Allow(user, ["get", "list", "watch"], ["kubediscovery.io"], ["compositions"], "web");
        reviews.Allow(user, ["get", "list"], ["", "apps", "autoscaling"],
            ["pods", "replicasets", "deployments", "configmaps", "services", "serviceaccounts", "persistentvolumeclaims", "horizontalpodautoscalers"], "web");

        // What the admin sees around the storefront Pod: Secrets among its connections.
        var admin = await server.GetRaw($"{Api}/namespaces/web/pods/storefront-7d9c5b8f6-abcde/connections");
        admin.ShouldContain("\"kind\":\"Secret\"");

        using var certificates = new CertificateFiles(server.Pki, user);
        using var proxy = await KubectlProxy.StartAsync(server, certificates.Cert, certificates.Key);
        using var browser = new Browser("no-secrets");
        browser.Open(proxy.Ui);
        browser.WaitForView("");

        var search = browser.Find("#search");
        search.SendKeys("session-keys");
        browser.Find("#results li.message").Text.ShouldContain("Nothing you may read matches");
        search.Clear();
        search.SendKeys("storefront");
        browser.WaitUntil(() => browser.Find("#results").Text.Contains("Deployment", StringComparison.Ordinal), "the storefront Deployment found");
        browser.Find("#results").Text.ShouldNotContain("Secret");
        browser.Screenshot("search");

        const string connections = "#/connections/Pod/web/storefront-7d9c5b8f6-abcde";
        browser.Open(proxy.Ui + connections);
        browser.WaitForView(connections);
        browser.WaitUntil(() => browser.Find("#graph").GetDomAttribute("data-state") == "drawn", "the connections drawn");
        var list = browser.Find("#list").Text;
        list.ShouldContain("ConfigMap/web/storefront-config");
        list.ShouldContain("connected objects you may not read are left out");
        ((string)browser.Script("return document.body.innerText")!).ShouldNotContain("Secret");
        ((long)browser.Script("return document.querySelectorAll('#list a[data-node^=\"Secret/\"]').length")!).ShouldBe(0);
        browser.Screenshot("connections");

        const string composition = "#/composition/Deployment.apps/web/storefront";
        browser.Open(proxy.Ui + composition);
        browser.WaitForView(composition);
        ((string)browser.Script("return document.body.innerText")!).ShouldNotContain("Secret");

        browser.Open(proxy.Ui + "#/dangling");
        browser.WaitForView("#/dangling");
        ((string)browser.Script("return document.body.innerText")!).ShouldNotContain("Secret");
    }

    [Fact]
    public async Task TheVeryPage_IsAuthorizedAsUi_LikeEveryOtherPath()
    {
        var stranger = $"noui-{Guid.NewGuid():N}"[..13];
        (await server.GetAs(stranger, $"{Api}/ui/")).Status.ShouldBe(HttpStatusCode.Forbidden);

        var viewer = $"ui-{Guid.NewGuid():N}"[..13];
        server.Cluster.Reviews.Allow(viewer, ["list"], ["kubediscovery.io"], ["ui"]);
        using var client = ClusterPki.Client(server.Pki.FrontProxy);
        using var request = new HttpRequestMessage(HttpMethod.Get, server.Url + $"{Api}/ui/");
        request.Headers.Add("X-Remote-User", viewer);
        using var response = await client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
    }

    /// <summary>A client certificate for <c>user</c> from the cluster's client CA, as PEM files kubectl reads.</summary>
    private sealed class CertificateFiles : IDisposable
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("kd-e2e-user-").FullName;

        public CertificateFiles(ClusterPki pki, string user)
        {
            using var certificate = TestPki.SystemClock.Issue(pki.ClientCa, user);
            (Cert, Key) = TestPki.WritePem(certificate, _directory, "user");
        }

        public string Cert { get; }

        public string Key { get; }

        public void Dispose() => Directory.Delete(_directory, recursive: true);
    }
}
