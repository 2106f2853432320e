using System.Diagnostics;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary><c>kubectl get appinstances -w</c> against the server following a live (double) cluster.</summary>
public sealed class LiveApplicationsTests(LiveClusterServer server) : IClassFixture<LiveClusterServer>
{
    private static string Deployment(int available) => $$$"""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"e2e-apps",
          "labels":{"app.kubernetes.io/managed-by":"Helm","app.kubernetes.io/instance":"web"},
          "annotations":{"meta.helm.sh/release-name":"web","meta.helm.sh/release-namespace":"e2e-apps"}},
         "spec":{"replicas":1},"status":{"availableReplicas":{{{available}}}}}
        """;

    [Fact]
    public async Task AWatch_PrintsARow_AsADeploymentBecomesUnreadyAndReadyAgain()
    {
        var store = server.Cluster.Store;
        store.Apply(Deployment(available: 1));
        store.Apply("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"e2e-apps",
              "annotations":{"meta.helm.sh/release-name":"web","meta.helm.sh/release-namespace":"e2e-apps"}},"spec":{"selector":{"app":"web"}}}
            """);
        var clock = Stopwatch.StartNew();
        while (!(await server.GetRaw("/apis/kubediscovery.io/v1/namespaces/e2e-apps/appinstances")).Contains("\"members\":2", StringComparison.Ordinal))
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), "helm.web never had its two members");
            await Task.Delay(50);
        }

        using var kubectl = new StreamingProcess("kubectl", ["--server", server.Url, "--insecure-skip-tls-verify", "--client-certificate", server.Pki.AdminCertFile,
            "--client-key", server.Pki.AdminKeyFile, "get", "appinstances", "-n", "e2e-apps", "-w"]);
        await kubectl.WaitForLine(l => l.StartsWith("helm.web", StringComparison.Ordinal) && l.Contains(" 1/1 ", StringComparison.Ordinal) && l.Contains("Ready", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        store.Apply(Deployment(available: 0));
        await kubectl.WaitForLine(l => l.StartsWith("helm.web", StringComparison.Ordinal) && l.Contains(" 0/1 ", StringComparison.Ordinal) && l.Contains("ReplicasNotReady", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        store.Apply(Deployment(available: 1));
        await kubectl.WaitForLine(l => l.StartsWith("helm.web", StringComparison.Ordinal) && l.Contains(" 1/1 ", StringComparison.Ordinal) && l.Contains("Ready", StringComparison.Ordinal) && !l.Contains("NotReady", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
    }
}
