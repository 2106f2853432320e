using System.Text.Json.Nodes;
using KubeDiscovery.Rendering;

namespace KubeDiscovery.Tests.Rendering;

/// <summary>diff?format=text: the YAML of two versions as diff -u prints them.</summary>
public sealed class UnifiedDiffTests
{
    [Fact]
    public void OneChangedLine_IsAHunkWithThreeLinesOfContextEachSide()
    {
        var before = string.Join('\n', Enumerable.Range(1, 10).Select(i => $"line {i}")) + "\n";
        var after = before.Replace("line 5\n", "line five\n", StringComparison.Ordinal);

        UnifiedDiff.Write(before, after, "a", "b").ShouldBe("""
            --- a
            +++ b
            @@ -2,7 +2,7 @@
             line 2
             line 3
             line 4
            -line 5
            +line five
             line 6
             line 7
             line 8

            """.Replace("\r", "", StringComparison.Ordinal));
    }

    [Fact]
    public void ChangesFarApart_AreSeparateHunks_AndNearOnesOne()
    {
        var before = string.Join('\n', Enumerable.Range(1, 30).Select(i => $"l{i}")) + "\n";
        var after = before.Replace("l2\n", "L2\n", StringComparison.Ordinal).Replace("l5\n", "L5\n", StringComparison.Ordinal).Replace("l25\n", "L25\n", StringComparison.Ordinal);

        var hunks = UnifiedDiff.Write(before, after, "a", "b").Split('\n').Where(l => l.StartsWith("@@", StringComparison.Ordinal)).ToList();

        hunks.ShouldBe(["@@ -1,8 +1,8 @@", "@@ -22,7 +22,7 @@"]);
    }

    [Fact]
    public void TheSameText_IsOnlyTheHeader() => UnifiedDiff.Write("a\n", "a\n", "x", "y").ShouldBe("--- x\n+++ y\n");

    [Fact]
    public void Yaml_QuotesStringsThatWouldReadAsSomethingElse()
    {
        var yaml = YamlText.Write(JsonNode.Parse("""{"spec":{"replicas":3,"paused":false,"note":"true","port":"8080","image":"nginx:1.27","args":["a","b"]}}"""));

        yaml.ShouldBe("""
            spec:
              replicas: 3
              paused: false
              note: "true"
              port: "8080"
              image: nginx:1.27
              args:
              - a
              - b

            """.Replace("\r", "", StringComparison.Ordinal));
    }
}
