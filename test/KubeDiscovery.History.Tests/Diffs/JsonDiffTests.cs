using System.Text.Json.Nodes;
using KubeDiscovery.History.Diffs;

namespace KubeDiscovery.History.Tests.Diffs;

public sealed class JsonDiffTests
{
    [Fact]
    public void ImageChange_IsOneReplace_AtTheContainersImage_AndApplyingItGivesTheNewVersion()
    {
        var before = Recorded.Deployment();
        var after = Recorded.Copy(before);
        after["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "nginx:1.27";

        var patch = JsonDiff.Diff(before, after);

        patch.Select(op => op.ToJson().ToJsonString()).ShouldBe(["""{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.27"}"""]);
        JsonNode.DeepEquals(JsonDiff.Apply(before, patch), after).ShouldBeTrue();
    }

    [Fact]
    public void KeysWithSlashesAndTildes_AreEscaped_AndRoundTrip()
    {
        var before = JsonNode.Parse("""{"metadata":{"labels":{"app.kubernetes.io/name":"web","a~b":"1"}}}""")!;
        var after = JsonNode.Parse("""{"metadata":{"labels":{"app.kubernetes.io/name":"api","a~b/c":"2"}}}""")!;

        var patch = JsonDiff.Diff(before, after);

        patch.Select(op => (op.Op, op.Path)).ShouldBe(
        [
            ("remove", "/metadata/labels/a~0b"),
            ("replace", "/metadata/labels/app.kubernetes.io~1name"),
            ("add", "/metadata/labels/a~0b~1c"),
        ]);
        JsonNode.DeepEquals(JsonDiff.Apply(before, patch), after).ShouldBeTrue();
        JsonPointer.ToPath("/metadata/labels/app.kubernetes.io~1name").ShouldBe("metadata.labels[\"app.kubernetes.io/name\"]");
        JsonPointer.ToPath("/spec/template/spec/containers/0/image").ShouldBe("spec.template.spec.containers[0].image");
    }

    [Theory]
    [InlineData("""{"ports":[1,2,3]}""", """{"ports":[1]}""")]
    [InlineData("""{"ports":[1]}""", """{"ports":[1,2,3]}""")]
    [InlineData("""{"ports":[{"p":1},{"p":2}]}""", """{"ports":[{"p":1,"q":true}]}""")]
    [InlineData("""{"a":{"b":[{"c":null}]}}""", """{"a":"flat"}""")]
    [InlineData("""{"a":1}""", """{"a":1}""")]
    [InlineData("""{"a":1}""", "[1,2]")]
    public void AnyTwoDocuments_ThePatchTurnsTheFirstIntoTheSecond(string before, string after)
    {
        var b = JsonNode.Parse(before);
        var a = JsonNode.Parse(after);

        JsonNode.DeepEquals(JsonDiff.Apply(b, JsonDiff.Diff(b, a)), a).ShouldBeTrue();
    }

    [Fact]
    public void APatchForAnotherDocument_IsRefused_NotHalfApplied()
    {
        var document = JsonNode.Parse("""{"spec":{"replicas":1}}""");

        Should.Throw<InvalidOperationException>(() => JsonDiff.Apply(document, [new PatchOperation("replace", "/spec/paused", true)]))
            .Message.ShouldContain("/spec/paused");
        document!.ToJsonString().ShouldBe("""{"spec":{"replicas":1}}""");
    }
}
