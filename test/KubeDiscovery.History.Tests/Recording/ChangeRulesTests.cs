using System.Text;
using System.Text.Json.Nodes;
using KubeDiscovery.History.Recording;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.History.Tests.Recording;

public sealed class ChangeRulesTests
{
    private readonly FakeTimeProvider _time = new();

    private static JsonObject Deployment() => Recorded.Deployment();

    private static JsonObject Touch(JsonObject o, Action<JsonObject> change)
    {
        var copy = Recorded.Copy(o);
        change(copy);
        return copy;
    }

    [Fact]
    public void StatusAndBookkeepingOnly_IsNoChange()
    {
        _time.Advance(TimeSpan.FromDays(1));
        var later = _time.Stamp();
        var before = Deployment();
        var after = Touch(before, d =>
        {
            d["metadata"]!["resourceVersion"] = "999999";
            d["metadata"]!["managedFields"]![0]!["time"] = later;
            d["status"]!["observedGeneration"] = 7;
            d["status"]!["readyReplicas"] = 0;
        });

        ChangeRules.Compare(before, after).ShouldBeNull();
    }

    [Fact]
    public void ImageChange_IsAnUpdate_NamingItsPath_AndStoredInUnderAKilobyte()
    {
        var written = _time.Stamp();
        var before = Deployment();
        var after = Touch(before, d =>
        {
            d["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "nginx:1.27";
            d["metadata"]!["generation"] = 2;
            d["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"] = new string('x', 2000);
            d["metadata"]!["managedFields"]!.AsArray().Add(new JsonObject { ["manager"] = "kubectl-set", ["operation"] = "Update", ["time"] = written });
        });

        var change = ChangeRules.Compare(before, after)!;

        change.Kind.ShouldBe(ChangeKind.Updated);
        change.ChangedPaths.ShouldBe(["spec.template.spec.containers[0].image"]);
        change.Managers.ShouldBe([new FieldManager("kubectl-set", "Update", written)]);
        var stored = new JsonArray(change.Patch.Select(op => (JsonNode)op.ToJson()).ToArray()).ToJsonString();
        Encoding.UTF8.GetByteCount(stored).ShouldBeLessThanOrEqualTo(1024);
    }

    [Fact]
    public void LabelAndAnnotationChanges_AreKept_ButTheAppliedCopyAndLeaderElectionAreNot()
    {
        var before = Deployment();

        ChangeRules.Compare(before, Touch(before, d => d["metadata"]!["labels"]!["tier"] = "web"))!.ChangedPaths.ShouldBe(["metadata.labels.tier"]);
        ChangeRules.Compare(before, Touch(before, d => d["metadata"]!["annotations"]!["owner"] = "team-a"))!.ChangedPaths.ShouldBe(["metadata.annotations.owner"]);
        ChangeRules.Compare(before, Touch(before, d => d["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"] = "{}")).ShouldBeNull();
        ChangeRules.Compare(before, Touch(before, d => d["metadata"]!["annotations"]!["control-plane.alpha.kubernetes.io/leader"] = "{\"holderIdentity\":\"b\"}")).ShouldBeNull();
    }

    [Fact]
    public void AKindWithoutGeneration_ChangesWithItsData()
    {
        var before = Recorded.Item("api_v1_namespaces_default_configmaps.json", Recorded.FirstName("api_v1_namespaces_default_configmaps.json"));
        var after = Touch(before, c => c["data"] = new JsonObject { ["mode"] = "strict" });

        var change = ChangeRules.Compare(before, after)!;

        change.Kind.ShouldBe(ChangeKind.Updated);
        change.ChangedPaths.ShouldAllBe(p => p.StartsWith("data", StringComparison.Ordinal));
    }

    [Fact]
    public void CreationKeepsTheWholeObjectWithoutStatus_AndDeletionIsRecorded()
    {
        var created = ChangeRules.Compare(null, Deployment())!;

        created.Kind.ShouldBe(ChangeKind.Created);
        var kept = created.Patch.Single().Value!.AsObject();
        kept.ContainsKey("status").ShouldBeFalse();
        kept["metadata"]!.AsObject().ContainsKey("managedFields").ShouldBeFalse();
        kept["spec"]!["replicas"]!.GetValue<int>().ShouldBe(Deployment()["spec"]!["replicas"]!.GetValue<int>());
        created.Managers.Select(m => m.Manager).ShouldContain("kubectl-create");

        ChangeRules.Compare(Deployment(), null)!.Kind.ShouldBe(ChangeKind.Deleted);
    }
}
