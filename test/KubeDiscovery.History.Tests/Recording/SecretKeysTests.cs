using System.Text.Json.Nodes;
using KubeDiscovery.History.Diffs;
using KubeDiscovery.History.Recording;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.History.Tests.Recording;

/// <summary>A Secret's history is which keys changed, read from managedFields: its values are never looked at.</summary>
public sealed class SecretKeysTests
{
    private readonly FakeTimeProvider _time = new();

    private static JsonObject Secret(string data, string managedFields) => JsonNode.Parse($$"""
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"db","namespace":"shop","managedFields":{{managedFields}}},"data":{{data}}}
        """)!.AsObject();

    private static string Entry(string manager, string time, params string[] keys)
    {
        var data = new JsonObject();
        foreach (var key in keys) data["f:" + key] = new JsonObject();
        return new JsonObject
        {
            ["manager"] = manager,
            ["operation"] = "Update",
            ["time"] = time,
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = new JsonObject { ["f:data"] = data, ["f:type"] = new JsonObject() },
        }.ToJsonString();
    }

    [Fact]
    public void AddedRemovedAndRewrittenKeys_ComeFromManagedFields()
    {
        var created = _time.NextStamp();
        var before = Secret("""{"user":"YWRtaW4=","password":"c2VjcmV0LTE="}""",
            $"[{Entry("kubectl-create", created, "user", "password")}]");
        var after = Secret("""{"user":"YWRtaW4=","password":"c2VjcmV0LTI=","token":"dG9rZW4="}""",
            $"[{Entry("kubectl-create", created, "user")},{Entry("rotator", _time.NextStamp(), "password", "token")}]");

        var change = ChangeRules.Compare(before, after)!;

        change.ChangedPaths.ShouldBe(["data.password (written)", "data.token (added)"]); // nothing removed
        var said = string.Join(",", change.ChangedPaths) + PatchOperation.Serialize(change.Patch) + string.Join(",", change.Managers);
        foreach (var value in new[] { "YWRtaW4=", "c2VjcmV0LTE=", "c2VjcmV0LTI=", "dG9rZW4=", "admin", "secret" }) said.ShouldNotContain(value);
    }

    [Fact]
    public void AMetadataOnlySecret_StillShowsItsKeys()
    {
        var created = _time.Stamp();
        var before = Secret("null", $"[{Entry("kubectl-create", created, "a", "b")}]");
        var after = Secret("null", $"[{Entry("kubectl-create", created, "a")}]");

        var change = ChangeRules.Compare(before, after)!;

        change.ChangedPaths.ShouldBe(["data.b (removed)"]); // nothing added or written
        ChangeRules.Compare(after, after).ShouldBeNull();
    }
}
