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

    [Fact]
    public void ASecretsAnnotations_AreKeptAsKeysAndWriters_NeverTheirValues()
    {
        JsonObject Annotated(string note, string time, bool applied)
        {
            var secret = Secret("null", $"[{Entry("kubectl-create", "2026-01-01T00:00:00Z", "a")}]");
            var annotations = new JsonObject { ["note"] = note };
            // kubectl apply's last-applied-configuration holds the data itself.
            if (applied) annotations["kubectl.kubernetes.io/last-applied-configuration"] = "{\"data\":{\"a\":\"aHVudGVyMg==\"}}";
            secret["metadata"]!["annotations"] = annotations;
            secret["metadata"]!["managedFields"]!.AsArray().Add(new JsonObject
            {
                ["manager"] = "kubectl-annotate",
                ["operation"] = "Update",
                ["time"] = time,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = new JsonObject { ["f:metadata"] = new JsonObject { ["f:annotations"] = new JsonObject { ["f:note"] = new JsonObject() } } },
            });
            return secret;
        }
        var before = Annotated("first note", _time.NextStamp(), applied: false);
        var after = Annotated("the password is hunter2", _time.NextStamp(), applied: true);

        var change = ChangeRules.Compare(before, after)!;
        var kept = ChangeRules.Normalize(after).ToJsonString();

        change.ChangedPaths.ShouldBe(["metadata.annotations.note (written)"]); // last-applied-configuration is never kept
        var said = string.Join(",", change.ChangedPaths) + PatchOperation.Serialize(change.Patch) + kept + ChangeRules.Normalize(before).ToJsonString();
        foreach (var value in new[] { "hunter2", "aHVudGVyMg==", "first note" }) said.ShouldNotContain(value);
        kept.ShouldContain("kubectl-annotate at");
    }
}
