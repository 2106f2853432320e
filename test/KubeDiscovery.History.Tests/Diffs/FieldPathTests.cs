using System.Text.Json.Nodes;
using KubeDiscovery.History.Diffs;

namespace KubeDiscovery.History.Tests.Diffs;

/// <summary>Fields as people write them in diff and bisect queries, and as versions prints them.</summary>
public sealed class FieldPathTests
{
    [Theory]
    [InlineData("spec.replicas", "/spec/replicas")]
    [InlineData("spec.template.spec.containers[0].image", "/spec/template/spec/containers/0/image")]
    [InlineData("metadata.labels[\"app.kubernetes.io/name\"]", "/metadata/labels/app.kubernetes.io~1name")]
    [InlineData("metadata.labels['tier']", "/metadata/labels/tier")]
    [InlineData("/spec/replicas", "/spec/replicas")]
    public void APath_BecomesTheJsonPointerItNames(string path, string pointer) => JsonPointer.FromPath(path).ShouldBe(pointer);

    [Theory]
    [InlineData("spec.template.spec.containers[0].image")]
    [InlineData("metadata.labels[\"app.kubernetes.io/name\"]")]
    public void WhatVersionsPrints_ReadsBackAsTheSamePointer(string path) => JsonPointer.ToPath(JsonPointer.FromPath(path)).ShouldBe(path);

    [Theory]
    [InlineData("spec[", "unclosed [")]
    [InlineData("spec..replicas", "empty segment")]
    [InlineData("spec.", "ends with a dot")]
    [InlineData("containers[x]", "neither an index nor a quoted key")]
    public void AMalformedPath_SaysWhatIsWrong(string path, string message) =>
        Should.Throw<FormatException>(() => JsonPointer.FromPath(path)).Message.ShouldContain(message);

    [Fact]
    public void Find_ReturnsTheNodeOrNull()
    {
        var doc = JsonNode.Parse("""{"spec":{"containers":[{"image":"a"}]}}""");

        JsonPointer.Find(doc, "/spec/containers/0/image")!.GetValue<string>().ShouldBe("a");
        JsonPointer.Find(doc, "/spec/containers/1/image").ShouldBeNull();
        JsonPointer.Find(doc, "/status").ShouldBeNull();
    }
}
