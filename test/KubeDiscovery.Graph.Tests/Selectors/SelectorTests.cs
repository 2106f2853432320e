using KubeDiscovery.Graph.Selectors;

namespace KubeDiscovery.Graph.Tests.Selectors;

public sealed class SelectorTests
{
    private static readonly KeyValuePair<string, string>[] Labels =
        [new("app", "web"), new("tier", "frontend"), new("app.kubernetes.io/part-of", "shop")];

    [Theory]
    [InlineData("", true)]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app!=web", false)]
    [InlineData("app=web,tier=backend", false)]
    [InlineData("tier in (frontend, backend)", true)]
    [InlineData("tier notin (frontend)", false)]
    [InlineData("app.kubernetes.io/part-of=shop,tier in (a,frontend)", true)]
    [InlineData("release", false)]
    [InlineData("!release", true)]
    [InlineData("!app", false)]
    [InlineData("release!=x", true)]
    public void LabelSelector_MatchesAsKubectlDoes(string selector, bool matches)
    {
        LabelSelector.Parse(selector).Matches(Labels).ShouldBe(matches);
    }

    [Theory]
    [InlineData("app=web,,tier=x")]
    [InlineData("app=we b")]
    [InlineData("-app=web")]
    [InlineData("tier in (a,b")]
    public void MalformedLabelSelector_IsAFormatError(string selector)
    {
        Should.Throw<FormatException>(() => LabelSelector.Parse(selector));
    }

    [Fact]
    public void FieldSelector_SupportsOnlyTheFieldsGiven_WithEqualityAndInequality()
    {
        string[] supported = ["root.kind", "root.name"];
        var selector = FieldSelector.Parse("root.kind=Deployment,root.name!=cart", supported);

        selector.Matches(f => f == "root.kind" ? "Deployment" : "frontend").ShouldBeTrue();
        selector.Matches(f => f == "root.kind" ? "Deployment" : "cart").ShouldBeFalse();
        Should.Throw<FormatException>(() => FieldSelector.Parse("spec.replicas=1", supported)).Message.ShouldContain("field label not supported: spec.replicas");
        Should.Throw<FormatException>(() => FieldSelector.Parse("root.kind", supported));
    }
}
