using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>History survives a restart, and what changed while the server was down is recorded when it lists again.</summary>
public sealed class HistoryRestartTests(RestartableHistoryServer server) : IClassFixture<RestartableHistoryServer>
{
    private const string Api = "/apis/kubediscovery.io/v1";

    private static JsonObject ConfigMap(string name, string value) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["data"] = new JsonObject { ["mode"] = value },
    };

    private async Task<List<JsonElement>> WaitForVersions(string name, int count)
    {
        var path = $"{Api}/namespaces/default/configmaps/{name}/versions";
        var clock = Stopwatch.StartNew();
        var last = "";
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            using var response = await server.Http.GetAsync(server.Url + path);
            last = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var items = JsonDocument.Parse(last).RootElement.GetProperty("items").EnumerateArray().Select(i => i.Clone()).ToList();
                if (items.Count == count) return items;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"{path} did not reach {count} versions: {last}");
    }

    [Fact]
    public async Task ChangesMadeWhileStopped_AreRecordedAtTheNextList_AndNothingBeforeIsLost()
    {
        var store = server.Cluster.Store;
        store.Apply(ConfigMap("restart-settings", "a"));
        store.Apply(ConfigMap("restart-doomed", "x"));
        await WaitForVersions("restart-doomed", 1);
        store.Apply(ConfigMap("restart-settings", "b"));
        await WaitForVersions("restart-settings", 2);

        await server.RestartAsync(() =>
        {
            store.Apply(ConfigMap("restart-settings", "c"));
            store.Delete("", "ConfigMap", "default", "restart-doomed").ShouldBeTrue();
            store.Apply(ConfigMap("restart-born", "new"));
            return Task.CompletedTask;
        });

        var settings = await WaitForVersions("restart-settings", 3);
        settings[0].GetProperty("observedLate").GetBoolean().ShouldBeTrue();
        settings[0].GetProperty("changedPaths")[0].GetString().ShouldBe("data.mode");
        settings.Select(v => v.GetProperty("number").GetInt64()).ShouldBe([3L, 2L, 1L]); // the versions from before the restart are all there
        settings[1].TryGetProperty("observedLate", out _).ShouldBeFalse(); // seen happening, by the watch
        var doomed = await WaitForVersions("restart-doomed", 2);
        doomed[0].GetProperty("change").GetString().ShouldBe("Deleted");
        doomed[0].GetProperty("observedLate").GetBoolean().ShouldBeTrue();
        (await WaitForVersions("restart-born", 1))[0].GetProperty("change").GetString().ShouldBe("Created");
    }
}
