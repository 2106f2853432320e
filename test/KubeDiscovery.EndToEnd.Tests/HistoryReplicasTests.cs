using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Npgsql;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>Two replicas recording one cluster into one PostgreSQL store each change once.</summary>
public sealed class HistoryReplicasTests(TwoReplicas replicas) : IClassFixture<TwoReplicas>
{
    private static JsonObject Deployment(string name, string image) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["spec"] = new JsonObject
        {
            ["replicas"] = 1,
            ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = image }) } },
        },
    };

    private static async Task WaitForOk(ServerProcess server, string path)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            using var response = await server.Http.GetAsync(server.Url + path);
            if (response.StatusCode == HttpStatusCode.OK) return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"{path} never answered 200:\n{server.Output}");
    }

    [Fact]
    public async Task TwoServersRecordingOneCluster_StoreEachChangeOnce()
    {
        var store = replicas.Cluster.Store;
        var created = store.Apply(Deployment("shared-web", "nginx:1.25"));
        store.Apply(Deployment("shared-web", "nginx:1.27"));
        // Created after the two changes on the same watch: once a replica has it, it has seen them.
        store.Apply(Deployment("shared-marker", "pause:3"));
        foreach (var replica in new[] { replicas.First, replicas.Second })
        {
            await WaitForOk(replica, "/apis/kubediscovery.io/v1/namespaces/default/deployments/shared-marker/compositions");
        }

        // A clean stop writes what each recorder still holds: after it, both have written all they saw.
        foreach (var replica in new[] { replicas.First, replicas.Second })
        {
            replica.Terminate();
            (await replica.ExitCodeAsync(TimeSpan.FromSeconds(60))).ShouldBe(0, replica.Output);
        }

        await using var connection = new NpgsqlConnection(replicas.Database);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT number, change FROM versions WHERE uid = $1 ORDER BY number", connection);
        query.Parameters.Add(new NpgsqlParameter { Value = created["metadata"]!["uid"]!.GetValue<string>() });
        List<(long, string)> rows = [];
        await using (var reader = await query.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) rows.Add((reader.GetInt64(0), reader.GetString(1)));
        }
        rows.ShouldBe([(1L, "Created"), (2L, "Updated")]);
        await using var duplicates = new NpgsqlCommand("SELECT COUNT(*) - COUNT(DISTINCT (uid, resource_version)) FROM versions", connection);
        ((long)(await duplicates.ExecuteScalarAsync())!).ShouldBe(0);
    }
}
