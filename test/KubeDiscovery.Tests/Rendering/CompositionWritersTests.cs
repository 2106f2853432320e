using System.Text;
using System.Text.Json;
using KubeDiscovery.Api;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Rendering;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.Tests.Rendering;

/// <summary>What a composition looks like on the wire and on the terminal, for the sample cluster's shop/cart Deployment.</summary>
public sealed class CompositionWritersTests
{
    private static CompositionNode Cart() =>
        new CompositionBuilder(DemoCluster.Cache.Index).Build(DemoCluster.Find("apps", "deployments", "shop", "cart"));

    // The sample cluster's timestamps are data, so AGE is pinned to them: the clock reads ten days after cart was created.
    private static DateTimeOffset Now()
    {
        var time = new FakeTimeProvider(Cart().Object.CreationTimestamp!.Value);
        time.Advance(TimeSpan.FromDays(10));
        return time.GetUtcNow();
    }

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
        Golden.Match(TreeTextWriter.Render([Cart()], Now()), "cart-tree.txt");
    }

    [Fact]
    public void TreeText_OfNothing_SaysSoAsKubectlDoes()
    {
        TreeTextWriter.Render([], Now()).ShouldBe("No resources found.\n");
    }
}
