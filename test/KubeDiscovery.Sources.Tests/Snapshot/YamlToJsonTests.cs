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
        // A timestamp stays a string: the core schema has no timestamp type. Its value comes from the test's clock.
        var stamp = new Microsoft.Extensions.Time.Testing.FakeTimeProvider().GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        Json($"a: 3\nb: '3'\nc: true\nd: \"True\"\ne: ~\nf: 1.5\ng: 0755x\nh: {stamp}\ni: -7\n")
            .ShouldBe($$"""{"a":3,"b":"3","c":true,"d":"True","e":null,"f":1.5,"g":"0755x","h":"{{stamp}}","i":-7}""");
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
