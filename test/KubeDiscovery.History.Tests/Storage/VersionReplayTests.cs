using System.Text.Json.Nodes;
using KubeDiscovery.History.Diffs;
using KubeDiscovery.History.Recording;
using KubeDiscovery.History.Storage;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.History.Tests.Storage;

/// <summary>Every kept version can be rebuilt from what is stored: the creation and the patches after it, or a snapshot.</summary>
public sealed class VersionReplayTests
{
    private readonly FakeTimeProvider _time = new();

    private StoredVersion Stored(long number, MeaningfulChange change, string? snapshot = null) =>
        new(number, new VersionRecord("u1", number.ToString(System.Globalization.CultureInfo.InvariantCulture), "apps", "deployments", "default", "nginx",
            change.Kind, _time.GetUtcNow(), null, change.Managers, change.ChangedPaths, PatchOperation.Serialize(change.Patch), snapshot));

    [Fact]
    public void CreationThenUpdates_ReplayToEachVersionAsKept()
    {
        var v1 = Recorded.Deployment();
        var v2 = Recorded.Copy(v1);
        v2["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "nginx:1.27";
        var v3 = Recorded.Copy(v2);
        v3["metadata"]!["labels"]!["tier"] = "web";
        v3["spec"]!["replicas"] = 5;

        var stored = new[]
        {
            Stored(1, ChangeRules.Compare(null, v1)!),
            Stored(2, ChangeRules.Compare(v1, v2)!),
            Stored(3, ChangeRules.Compare(v2, v3)!),
            Stored(4, ChangeRules.Compare(v3, null)!),
        };

        var replayed = VersionReplay.Replay(stored).Select(r => r.Object).ToList();

        JsonNode.DeepEquals(replayed[0], ChangeRules.Normalize(v1)).ShouldBeTrue();
        JsonNode.DeepEquals(replayed[1], ChangeRules.Normalize(v2)).ShouldBeTrue();
        JsonNode.DeepEquals(replayed[2], ChangeRules.Normalize(v3)).ShouldBeTrue();
        JsonNode.DeepEquals(replayed[3], ChangeRules.Normalize(v3)).ShouldBeTrue(); // deleted as it last was
    }

    [Fact]
    public void PatchesWhoseBaseWasDropped_GiveNoObject_UntilASnapshot()
    {
        var v1 = Recorded.Deployment();
        var v2 = Recorded.Copy(v1);
        v2["spec"]!["replicas"] = 7;
        var v3 = Recorded.Copy(v2);
        v3["spec"]!["replicas"] = 8;

        var replayed = VersionReplay.Replay(
        [
            Stored(2, ChangeRules.Compare(v1, v2)!), // version 1 fell to retention
            Stored(3, ChangeRules.Compare(v2, v3)!, snapshot: ChangeRules.Normalize(v3).ToJsonString()),
        ]).Select(r => r.Object).ToList();

        replayed[0].ShouldBeNull();
        replayed[1]!["spec"]!["replicas"]!.GetValue<int>().ShouldBe(8);
    }

    [Fact]
    public void AStoredPatchThatIsNotAPatch_IsRefusedWithWhatItWas()
    {
        Should.Throw<FormatException>(() => PatchOperation.Parse("""[{"op":"move","from":"/a","path":"/b"}]""")).Message.ShouldContain("move");
        Should.Throw<FormatException>(() => PatchOperation.Parse("""{"op":"add"}"""));
    }
}
