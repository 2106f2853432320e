using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>
/// A snapshot with the ownership shapes a namespace user who may create ConfigMaps can build: a chain
/// 5,000 levels deep, and 20 layers where both objects of a layer own both of the next (2^20 paths).
/// </summary>
public sealed class HostileSnapshotServer : ServerProcess
{
    public const int ChainLength = 5_000;
    public const int WidePods = 100_000;

    // The end-to-end tests' one clock is the machine's (the server process reads it too).
    private static readonly string Created = TestPki.SystemClock.Now.AddDays(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
    private readonly string _directory = Directory.CreateTempSubdirectory("kd-e2e-hostile-").FullName;

    protected override string[] SourceArgs => ["--snapshot", Path.Combine(_directory, "hostile.json")];

    protected override Task BeforeStartAsync()
    {
        var items = new JsonArray();
        string? previous = null;
        for (var i = 0; i < ChainLength; i++)
        {
            items.Add(ConfigMap("chain", $"c{i}", previous is null ? [] : [previous]));
            previous = $"c{i}";
        }
        items.Add(ConfigMap("layers", "root", []));
        string[] layer = ["root"];
        for (var k = 1; k <= 20; k++)
        {
            string[] next = [$"a{k}", $"b{k}"];
            foreach (var name in next) items.Add(ConfigMap("layers", name, layer));
            layer = next;
        }
        items.Add(ConfigMap("quiet", "innocent", []));
        // One ReplicaSet owning 100,000 Pods: a tree far above the node budget.
        items.Add(new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject { ["name"] = "big", ["namespace"] = "wide", ["uid"] = "uid-wide-big", ["creationTimestamp"] = Created },
        });
        for (var i = 0; i < WidePods; i++)
        {
            items.Add(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Pod",
                ["metadata"] = new JsonObject
                {
                    ["name"] = $"big-{i:D6}",
                    ["namespace"] = "wide",
                    ["uid"] = $"uid-wide-pod-{i}",
                    ["creationTimestamp"] = Created,
                    ["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = "big", ["uid"] = "uid-wide-big", ["controller"] = true }),
                },
                ["status"] = new JsonObject { ["phase"] = "Running" },
            });
        }
        File.WriteAllText(Path.Combine(_directory, "hostile.json"), new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = items }.ToJsonString());
        return Task.CompletedTask;
    }

    private static JsonObject ConfigMap(string ns, string name, string[] owners) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["uid"] = $"uid-{ns}-{name}",
            ["creationTimestamp"] = Created,
            ["ownerReferences"] = new JsonArray(owners.Select(o => (JsonNode)new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["name"] = o,
                ["uid"] = $"uid-{ns}-{o}",
            }).ToArray()),
        },
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

public sealed class HostileShapesTests(HostileSnapshotServer server) : IClassFixture<HostileSnapshotServer>
{
    private const string Api = "/apis/kubediscovery.io/v1";

    private async Task<(HttpStatusCode Code, byte[] Body)> Get(string path)
    {
        using var response = await server.Http.GetAsync(server.Url + Api + path);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync());
    }

    private static int DeepestLevel(JsonElement node)
    {
        var depth = 0;
        while (node.GetProperty("children").GetArrayLength() > 0)
        {
            node = node.GetProperty("children")[0];
            depth++;
        }
        node.TryGetProperty("truncated", out var truncated).ShouldBeTrue();
        truncated.GetBoolean().ShouldBeTrue();
        return depth;
    }

    [Fact]
    public async Task ChainOf5000Levels_AnswersWholeJson_CutAtTheDocumentedDepth()
    {
        var (code, body) = await Get("/namespaces/chain/configmaps/c0/compositions");

        code.ShouldBe(HttpStatusCode.OK, System.Text.Encoding.UTF8.GetString(body[..Math.Min(300, body.Length)]));
        using var doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 2000 });
        DeepestLevel(doc.RootElement.GetProperty("root")).ShouldBe(500);
    }

    [Fact]
    public async Task OneTenantsChain_DoesNotBreakTheAllNamespacesAnswer()
    {
        var (code, body) = await Get("/configmaps/*/compositions");

        code.ShouldBe(HttpStatusCode.OK);
        using var doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 2000 });
        var names = doc.RootElement.GetProperty("items").EnumerateArray()
            .Select(i => $"{i.GetProperty("metadata").GetProperty("namespace").GetString()}/{i.GetProperty("metadata").GetProperty("name").GetString()}")
            .ToList();
        names.ShouldContain("quiet/innocent");
        names.Count.ShouldBe(HostileSnapshotServer.ChainLength + 41 + 1);
        body.Length.ShouldBeLessThan(8 * 1024 * 1024); // each object expanded once in the whole answer
    }

    [Fact]
    public async Task ChainOf5000Levels_TreeTextGrowsLinearly_NotWithTheSquareOfDepth()
    {
        var (code, body) = await Get("/namespaces/chain/configmaps/c0/compositions?format=tree");

        code.ShouldBe(HttpStatusCode.OK);
        var lines = System.Text.Encoding.UTF8.GetString(body).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1 + 501);
        lines.Max(l => l.Length).ShouldBeLessThan(200);
        lines[^1].ShouldContain("[500] ConfigMap/c500 (…)");
    }

    [Fact]
    public async Task TwentyLayersOfSharedOwners_AnswerUnderOneMegabyte_EachObjectOncePerTree()
    {
        var (code, body) = await Get("/namespaces/layers/configmaps/*/compositions");

        code.ShouldBe(HttpStatusCode.OK);
        body.Length.ShouldBeLessThan(1024 * 1024);
        using var doc = JsonDocument.Parse(body);
        var items = doc.RootElement.GetProperty("items").EnumerateArray().ToList();
        items.Count.ShouldBe(41);
        foreach (var item in items)
        {
            // Each item reads as the tree got alone: every object in it expanded once.
            var expanded = new List<string>();
            var pending = new Stack<JsonElement>([item.GetProperty("root")]);
            while (pending.Count > 0)
            {
                var node = pending.Pop();
                if (!node.TryGetProperty("expandedElsewhere", out _)) expanded.Add(node.GetProperty("uid").GetString()!);
                foreach (var child in node.GetProperty("children").EnumerateArray()) pending.Push(child);
            }
            expanded.ShouldBeUnique();
        }
    }

    [Theory]
    [InlineData("99999999999", "too large")]
    [InlineData("-1", "non-negative integer")]
    public async Task DepthOutOfRange_IsABadRequestThatSaysWhy(string depth, string says)
    {
        var (code, body) = await Get($"/namespaces/chain/configmaps/c0/compositions?depth={depth}");

        code.ShouldBe(HttpStatusCode.BadRequest);
        System.Text.Encoding.UTF8.GetString(body).ShouldContain(says);
    }

    [Fact]
    public async Task TreeOf100000Nodes_IsCutAtTheBudget_WithAWarning_AndTheServersMemoryBarelyMoves()
    {
        const string path = "/namespaces/wide/replicasets/big/compositions";
        long Kib(string field) => long.Parse(File.ReadLines($"/proc/{server.Pid}/status").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        await Get(path); // warm: JIT and first-use allocations are not the answer's
        var before = Kib("VmRSS");
        File.WriteAllText($"/proc/{server.Pid}/clear_refs", "5"); // reset the peak resident set (VmHWM) to now

        using var response = await server.Http.GetAsync(server.Url + Api + path);
        var body = await response.Content.ReadAsByteArrayAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Warning").Single().ShouldContain("the answer was cut at 10000 nodes");
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement.GetProperty("root");
        root.GetProperty("truncated").GetBoolean().ShouldBeTrue();
        root.GetProperty("children").GetArrayLength().ShouldBe(9_999);
        (Kib("VmHWM") - before).ShouldBeLessThan(50 * 1024, $"peak resident set grew by {Kib("VmHWM") - before} KiB during the answer");
    }

    [Fact]
    public async Task LongList_PagesWithLimitAndContinue_OnSubresourceListsToo()
    {
        var deep = new JsonDocumentOptions { MaxDepth = 2000 }; // ancestors climb the chain
        var first = JsonDocument.Parse((await Get("/namespaces/chain/configmaps/*/compositions?limit=2000&depth=0")).Body, deep).RootElement;
        var metadata = first.GetProperty("metadata");
        first.GetProperty("items").GetArrayLength().ShouldBe(2000);
        metadata.GetProperty("remainingItemCount").GetInt64().ShouldBe(HostileSnapshotServer.ChainLength - 2000);
        var token = Uri.EscapeDataString(metadata.GetProperty("continue").GetString()!);

        var second = JsonDocument.Parse((await Get($"/namespaces/chain/configmaps/*/compositions?limit=2000&depth=0&continue={token}")).Body, deep).RootElement;
        second.GetProperty("items")[0].GetProperty("metadata").GetProperty("name").GetString().ShouldNotBe(
            first.GetProperty("items")[1999].GetProperty("metadata").GetProperty("name").GetString());
        (await Get("/namespaces/chain/configmaps/*/compositions?limit=2000&continue=nonsense")).Code.ShouldBe(HttpStatusCode.BadRequest);
        (await Get("/namespaces/chain/configmaps/*/compositions?limit=2000&continue=0123abcd.1")).Code.ShouldBe(HttpStatusCode.BadRequest); // not ours
    }
}
