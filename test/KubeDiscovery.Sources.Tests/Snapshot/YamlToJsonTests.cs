using System.Text;
using KubeDiscovery.Sources.Snapshot;

namespace KubeDiscovery.Sources.Tests.Snapshot;

public sealed class YamlToJsonTests
{
    private static string Json(string yaml) =>
        Encoding.UTF8.GetString(YamlToJson.Convert(new StringReader(yaml)).Single().Json!);

    [Fact]
    public void PlainScalars_FollowTheYaml12CoreSchema_QuotedOnesStayStrings()
    {
        Json("a: 3\nb: '3'\nc: true\nd: \"True\"\ne: ~\nf: 1.5\ng: 0755x\nh: 2026-11-25T04:30:14Z\ni: -7\n")
            .ShouldBe("""{"a":3,"b":"3","c":true,"d":"True","e":null,"f":1.5,"g":"0755x","h":"2026-11-25T04:30:14Z","i":-7}""");
    }

    [Fact]
    public void AnchorsAndAliases_AreExpanded()
    {
        Json("base: &labels {app: web}\ncopy: *labels\n").ShouldBe("""{"base":{"app":"web"},"copy":{"app":"web"}}""");
    }

    [Fact]
    public void BlockScalars_KeepTheirText()
    {
        Json("script: |\n  line one\n  line two\n").ShouldBe("""{"script":"line one\nline two\n"}""");
    }
}
