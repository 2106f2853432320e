using System.Globalization;
using System.Text.Json.Nodes;

namespace KubeDiscovery.EndToEnd.Tests.Ui;

/// <summary>
/// A snapshot with one large fan-out: Deployment <c>wide</c> → ReplicaSet <c>wide-7f9c</c> → N Pods, the
/// first <c>ready</c> of them Ready. What the web view must draw as one group, not N boxes.
/// </summary>
public sealed class WideSnapshotServer : ServerProcess
{
    public const int Pods = 40;
    public const int ReadyPods = 37;

    private readonly string _file = Path.Combine(Directory.CreateTempSubdirectory("kd-e2e-wide-").FullName, "wide.json");

    protected override string[] SourceArgs => ["--snapshot", _file];

    protected override Task BeforeStartAsync() => File.WriteAllTextAsync(_file, Build(Pods, ReadyPods).ToJsonString());

    public static JsonObject Build(int pods, int ready)
    {
        // Times are data to the server; they come from a fake clock, never the machine's.
        var created = new Microsoft.Extensions.Time.Testing.FakeTimeProvider().GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var items = new JsonArray
        {
            new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "Namespace",
                ["metadata"] = new JsonObject { ["name"] = "wide", ["uid"] = "ns-wide", ["creationTimestamp"] = created },
            },
            Owned("apps/v1", "Deployment", "wide", "dep-wide", null, created, Available(true)),
            Owned("apps/v1", "ReplicaSet", "wide-7f9c", "rs-wide", ("apps/v1", "Deployment", "wide", "dep-wide"), created,
                new JsonObject { ["replicas"] = pods, ["readyReplicas"] = ready }, new JsonObject { ["replicas"] = pods }),
        };
        for (var i = 0; i < pods; i++)
        {
            var status = new JsonObject
            {
                ["phase"] = "Running",
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = i < ready ? "True" : "False", ["reason"] = i < ready ? null : "ContainersNotReady" }),
            };
            items.Add(Owned("v1", "Pod", $"wide-7f9c-{i:000}", $"pod-wide-{i:000}", ("apps/v1", "ReplicaSet", "wide-7f9c", "rs-wide"), created, status));
        }
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = items };
    }

    private static JsonObject Available(bool available) => new()
    {
        ["conditions"] = new JsonArray(new JsonObject
        {
            ["type"] = "Available",
            ["status"] = available ? "True" : "False",
            ["reason"] = available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
        }),
    };

    private static JsonObject Owned(string apiVersion, string kind, string name, string uid, (string ApiVersion, string Kind, string Name, string Uid)? owner,
        string created, JsonObject status, JsonObject? spec = null)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = "wide", ["uid"] = uid, ["creationTimestamp"] = created, ["resourceVersion"] = "1" };
        if (owner is { } o)
        {
            metadata["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = o.ApiVersion,
                ["kind"] = o.Kind,
                ["name"] = o.Name,
                ["uid"] = o.Uid,
                ["controller"] = true,
            });
        }
        return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata, ["spec"] = spec ?? new JsonObject(), ["status"] = status };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_file)!, recursive: true);
    }
}
