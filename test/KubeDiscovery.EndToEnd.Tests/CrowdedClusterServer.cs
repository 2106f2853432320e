using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>
/// The server following a fake cluster with crowds in it: in <c>load</c>, 2,000 Pods mounting one Secret;
/// in <c>bulk</c>, more ConfigMaps than a search ranks; in <c>team-a</c>, a few ConfigMaps. Answers that
/// could run away, and users who may read only part of it.
/// </summary>
public class CrowdedClusterServer : LiveClusterServer
{
    public const int LoadPods = 2_000;
    public const int BulkConfigMaps = 50_001;
    public const int TeamConfigMaps = 14;

    protected virtual bool WithBulk => true;

    protected override async Task BeforeStartAsync()
    {
        await base.BeforeStartAsync();
        Cluster.Store.Seed(Objects());
    }

    private IEnumerable<JsonObject> Objects()
    {
        yield return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "shared", ["namespace"] = "load" },
            ["type"] = "Opaque",
        };
        for (var i = 0; i < LoadPods; i++)
        {
            yield return new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Pod",
                ["metadata"] = new JsonObject { ["name"] = $"p-{i:D4}", ["namespace"] = "load", ["labels"] = new JsonObject { ["app"] = "load" } },
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "busybox" }),
                    ["volumes"] = new JsonArray(new JsonObject { ["name"] = "s", ["secret"] = new JsonObject { ["secretName"] = "shared" } }),
                },
                ["status"] = new JsonObject { ["phase"] = "Running" },
            };
        }
        for (var i = 0; i < TeamConfigMaps; i++) yield return ConfigMap("team-a", $"cfg-visible-{i:D2}");
        if (!WithBulk) yield break;
        for (var i = 0; i < BulkConfigMaps; i++) yield return ConfigMap("bulk", $"cfg-hidden-{i:D5}");
    }

    private static JsonObject ConfigMap(string ns, string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
    };

    /// <summary>A GET as the front proxy sends it for <paramref name="user"/>.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetAs(string user, string path)
    {
        using var client = ClusterPki.Client(Pki.FrontProxy);
        using var request = new HttpRequestMessage(HttpMethod.Get, Url + path);
        request.Headers.Add("X-Remote-User", user);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response);
    }
}

/// <summary>The same crowd in <c>load</c> only, with a budget so large that an answer runs for a long time, and one answer at a time per user.</summary>
public sealed class UnboundedCrowdedServer : CrowdedClusterServer
{
    protected override bool WithBulk => false;

    protected override string[] SourceArgs => [.. base.SourceArgs, "--max-tree-nodes", "100000000", "--max-requests-inflight-per-user", "1"];
}
