using System.Text;
using System.Text.Json;
using KubeDiscovery.Api;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Rendering;

namespace KubeDiscovery.Tests.Rendering;

/// <summary>What a composition looks like on the wire and on the terminal, for the sample cluster's shop/cart Deployment.</summary>
public sealed class CompositionWritersTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static CompositionNode Cart() =>
        new CompositionBuilder(DemoCluster.Cache.Index).Build(DemoCluster.Find("apps", "deployments", "shop", "cart"));

    [Fact]
    public void Json_IsTheDocumentedShape_ByteForByte()
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, ApiJsonContext.WriterOptions with { Indented = true }))
        {
            CompositionJsonWriter.WriteComposition(w, Cart());
        }

        Golden.Match(Encoding.UTF8.GetString(buffer.ToArray()) + "\n", "cart-composition.json");
    }

    [Fact]
    public void TreeText_DrawsKubectlTreesColumns()
    {
        Golden.Match(TreeTextWriter.Render([Cart()], Now), "cart-tree.txt");
    }

    [Fact]
    public void TreeText_OfNothing_SaysSoAsKubectlDoes()
    {
        TreeTextWriter.Render([], Now).ShouldBe("No resources found.\n");
    }
}
