using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.Tests.Api.History;

/// <summary><c>--import-audit-log</c>: a kube-apiserver audit log read at start names who made recorded versions.</summary>
public sealed class AuditLogImportTests
{
    [Fact]
    public async Task AnImportedLog_NamesTheUserOfAVersionRecordedLater()
    {
        var time = new FakeTimeProvider();
        var log = Path.GetTempFileName();
        try
        {
            var line = new JsonObject
            {
                ["kind"] = "Event",
                ["apiVersion"] = "audit.k8s.io/v1",
                ["level"] = "RequestResponse",
                ["auditID"] = "a1",
                ["stage"] = "ResponseComplete",
                ["verb"] = "update",
                ["user"] = new JsonObject { ["username"] = "ci-bot" },
                ["userAgent"] = "argocd-application-controller/v2.9",
                ["responseStatus"] = new JsonObject { ["code"] = 200 },
                ["responseObject"] = new JsonObject { ["metadata"] = new JsonObject { ["uid"] = "db4c4004-cca5-5fa2-99a1-5156406afa8b", ["resourceVersion"] = "80001" } },
                ["stageTimestamp"] = time.GetUtcNow().ToString("O"),
            }.ToJsonString();
            await File.WriteAllTextAsync(log, line + "\n");
            await using var host = await HistoryHost.StartAsync(time, o => o with { ImportAuditLog = log });

            var kept = await host.KeptAsync(HistoryHost.Api + "/namespaces/shop/deployments/frontend");
            kept["spec"]!["replicas"] = 2;
            await host.ChangeAsync("deployments", kept, "80001");

            // The import runs beside the start: wait for it, bounded.
            var clock = Stopwatch.StartNew();
            string? user = null;
            while (user is null && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                var newest = (await host.GetJsonAsync(HistoryHost.Api + "/namespaces/shop/deployments/frontend/versions")).GetProperty("items")[0];
                user = newest.TryGetProperty("user", out var u) ? u.GetString() : null;
                if (user is null) await Task.Delay(20);
            }
            user.ShouldBe("ci-bot");
        }
        finally
        {
            File.Delete(log);
        }
    }
}
