using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Sources.Tests.Live;

/// <summary>What an observer (history) is handed by the live source's LISTs: every object whole, and at the observer's pace.</summary>
public sealed class ObservedListTests
{
    private static JsonObject ConfigMap(int i) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = $"settings-{i:D3}", ["namespace"] = "default" },
        // 2 KB each: the page is several of the pooled pieces a body is read into, and items cross their edges.
        ["data"] = new JsonObject { ["value"] = new string((char)('a' + i % 26), 2_000) + $"-{i}" },
    };

    [Fact]
    public async Task AnObservedKindsPage_ReachesTheObserver_EveryObjectWhole_AsTheIndexHoldsThem()
    {
        var observer = new Observer(type => type.Plural == "configmaps");
        await using var live = await LiveHarness.StartAsync(observer: observer, configure: server =>
        {
            for (var i = 0; i < 300; i++) server.Store.Apply(ConfigMap(i));
        });

        var listed = observer.Items.Where(e => e.GetProperty("metadata").GetProperty("name").GetString()!.StartsWith("settings-", StringComparison.Ordinal)).ToList();
        listed.Count.ShouldBe(300);
        listed.Select(e => e.GetProperty("data").GetProperty("value").GetString()).ShouldBe(Enumerable.Range(0, 300).Select(i => new string((char)('a' + i % 26), 2_000) + $"-{i}"));
        var indexed = live.Cache.Index.All().Where(r => r.Type.GroupResource == new GroupResource("", "configmaps")).Select(r => r.Uid).ToHashSet();
        observer.Items.Select(e => e.GetProperty("metadata").GetProperty("uid").GetString()!).ToHashSet().SetEquals(indexed).ShouldBeTrue();
        observer.Completed.ShouldBe([("configmaps", indexed.Count)]);
    }

    [Fact]
    public async Task AListWaitsForItsObserver_AndTheIndexIsReadyOnlyAfter()
    {
        var observer = new Observer(type => type.Plural == "deployments") { Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var live = await LiveHarness.StartAsync(observer: observer, start: false);
        await live.Source.StartAsync(CancellationToken.None);

        await LiveHarness.WaitUntil(() => observer.Waiting, "the observer was handed the deployments page");
        live.Source.Synced.IsCompleted.ShouldBeFalse();
        live.Cache.HasSynced.ShouldBeFalse();

        observer.Hold.SetResult();
        await live.Source.Synced.WaitAsync(TimeSpan.FromSeconds(20));
        live.Cache.HasSynced.ShouldBeTrue();
        observer.Completed.ShouldContain(c => c.Resource == "deployments");
    }

    private sealed class Observer(Func<ResourceType, bool> observes) : IObjectObserver
    {
        private readonly ConcurrentQueue<JsonElement> _items = new();
        private readonly ConcurrentQueue<(string, int)> _completed = new();
        private volatile bool _waiting;

        public TaskCompletionSource? Hold { get; init; }

        public bool Waiting => _waiting;

        public IReadOnlyList<JsonElement> Items => [.. _items];

        public IReadOnlyList<(string Resource, int Count)> Completed => [.. _completed];

        public bool Observes(ResourceType type) => observes(type);

        public void Changed(ResourceType type, JsonElement obj)
        {
        }

        public void Deleted(ResourceType type, JsonElement obj)
        {
        }

        public async ValueTask ListedAsync(ResourceType type, IReadOnlyList<JsonElement> page, CancellationToken cancellationToken)
        {
            foreach (var item in page) _items.Enqueue(item);
            if (Hold is null) return;
            _waiting = true;
            await Hold.Task.WaitAsync(cancellationToken);
        }

        public void ListCompleted(ResourceType type, string resourceVersion, IReadOnlySet<string> uids) => _completed.Enqueue((type.Plural, uids.Count));
    }
}
