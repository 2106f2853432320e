using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Sources.Snapshot;

namespace KubeDiscovery.Sources.Tests.Snapshot;

/// <summary>
/// The demo is written as samples/demo-cluster (YAML and JSON, the shapes users write) and bundled as
/// those files converted once to one JSON List (src/KubeDiscovery.Sources/Snapshot/demo-cluster.json):
/// YAML parsing was the demo's largest start-up cost after the runtime's own. These keep the two the same.
/// </summary>
public sealed class BundledDemoTests
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "demo-cluster");

    [Fact]
    public void TheSamplesDirectory_LoadsEveryObjectOfItsThreeShapes()
    {
        var cache = new ClusterCache();
        SnapshotLoader.Load(SnapshotLoader.Expand([Samples]), cache);

        cache.Index.Count.ShouldBe(182);
        // One file of each shape: multi-document YAML, a kind: List YAML, a JSON list.
        cache.Index.Find(new GroupResource("platform.example.com", "tenants"), null, "acme").ShouldNotBeNull();
        cache.Index.Find(new GroupResource("apps", "deployments"), "shop", "frontend").ShouldNotBeNull();
        cache.Index.Find(new GroupResource("apps", "daemonsets"), "monitoring", "node-exporter").ShouldNotBeNull();
        // Custom resources of CRDs in the same snapshot: Argo CD's Application.
        cache.Index.Find(new GroupResource("argoproj.io", "applications"), "argocd", "guestbook").ShouldNotBeNull();
    }

    [Fact]
    public void TheBundledDemo_IsTheSamplesDirectory_AsOneJsonList()
    {
        var expected = AsOneList(Samples);
        var bundled = SnapshotLoader.Demo().ShouldHaveSingleItem();
        using var stream = bundled.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var same = copy.GetBuffer().AsSpan(0, (int)copy.Length).SequenceEqual(expected);

        if (!same && Environment.GetEnvironmentVariable("KUBEDISCOVERY_WRITE_DEMO") == "1")
        {
            File.WriteAllBytes(BundledPath(), expected);
            return;
        }
        same.ShouldBeTrue(
            "samples/demo-cluster changed: write the bundled copy again with " +
            "KUBEDISCOVERY_WRITE_DEMO=1 dotnet test test/KubeDiscovery.Sources.Tests --filter TheBundledDemo, then build");
    }

    [Fact]
    public void TheBundledDemo_LoadsAsTheSamplesDirectoryDoes()
    {
        var samples = new ClusterCache();
        SnapshotLoader.Load(SnapshotLoader.Expand([Samples]), samples);
        var demo = new ClusterCache();
        SnapshotLoader.Load(SnapshotLoader.Demo(), demo);

        demo.Index.Count.ShouldBe(samples.Index.Count);
        demo.Catalog.Types.Count.ShouldBe(samples.Catalog.Types.Count);
        foreach (var type in samples.Catalog.Types)
        {
            var resource = samples.Catalog.StorageOf(type).GroupResource;
            demo.Index.List(resource, null).Select(r => r.Uid).ShouldBe(samples.Index.List(resource, null).Select(r => r.Uid), ignoreOrder: true);
        }
    }

    // Each file in path order, as the loader reads a directory; a List's items in their place.
    private static byte[] AsOneList(string directory)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion", "v1");
            writer.WriteString("kind", "List");
            writer.WriteStartArray("items");
            foreach (var file in SnapshotLoader.Expand([directory]))
            {
                using var reader = new StreamReader(file.Open());
                IEnumerable<byte[]> documents = file.Name.EndsWith(".json", StringComparison.Ordinal)
                    ? [System.Text.Encoding.UTF8.GetBytes(reader.ReadToEnd())]
                    : YamlToJson.Convert(reader).Select(d => d.Json).OfType<byte[]>().ToList();
                foreach (var json in documents)
                {
                    using var document = JsonDocument.Parse(json);
                    var root = document.RootElement;
                    var isList = root.TryGetProperty("kind", out var kind) && kind.GetString()!.EndsWith("List", StringComparison.Ordinal) && root.TryGetProperty("items", out _);
                    foreach (var item in isList ? root.GetProperty("items").EnumerateArray().ToList() : [root])
                    {
                        // A typed list's items carry no kind; the bundle has no list to take it from.
                        item.GetProperty("kind").GetString().ShouldNotBeNullOrEmpty($"{file.Name}: an item without its own kind");
                        item.WriteTo(writer);
                    }
                }
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return [.. buffer.WrittenSpan, (byte)'\n'];
    }

    private static string BundledPath([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "../../../src/KubeDiscovery.Sources/Snapshot/demo-cluster.json"));
}
