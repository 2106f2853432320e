using System.Text.Json;
using System.Text.Json.Nodes;
using KubeDiscovery.History.Recording;

namespace KubeDiscovery.History.Tests.Recording;

/// <summary>A Secret's history is which keys changed, read from managedFields: its values are never looked at.</summary>
public sealed class SecretKeysTests
{
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
        var before = Secret("""{"user":"YWRtaW4=","password":"c2VjcmV0LTE="}""",
            $"[{Entry("kubectl-create", "2026-11-01T00:00:00Z", "user", "password")}]");
        var after = Secret("""{"user":"YWRtaW4=","password":"c2VjcmV0LTI=","token":"dG9rZW4="}""",
            $"[{Entry("kubectl-create", "2026-11-01T00:00:00Z", "user")},{Entry("rotator", "2026-11-20T00:00:00Z", "password", "token")}]");

        var change = SecretKeys.Compare(before, after);

        change.Added.ShouldBe(["token"]);
        change.Removed.ShouldBeEmpty();
        change.Written.ShouldBe(["password"]);
        var said = JsonSerializer.Serialize(change) + string.Join(",", ChangeRules.NewManagers(before, after));
        foreach (var value in new[] { "YWRtaW4=", "c2VjcmV0LTE=", "c2VjcmV0LTI=", "dG9rZW4=", "admin", "secret" }) said.ShouldNotContain(value);
    }

    [Fact]
    public void AMetadataOnlySecret_StillShowsItsKeys()
    {
        var before = Secret("null", $"[{Entry("kubectl-create", "2026-11-01T00:00:00Z", "a", "b")}]");
        var after = Secret("null", $"[{Entry("kubectl-create", "2026-11-01T00:00:00Z", "a")}]");

        var change = SecretKeys.Compare(before, after);

        change.Added.ShouldBeEmpty();
        change.Removed.ShouldBe(["b"]);
        change.Written.ShouldBeEmpty();
        SecretKeys.Compare(after, after).IsEmpty.ShouldBeTrue();
    }
}
