using System.Text;
using System.Text.Json.Nodes;
using KubeDiscovery.History.Recording;
using KubeDiscovery.History.Storage;
using KubeDiscovery.History.Tests.Storage;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.History.Tests.Recording;

/// <summary>The recorder over a real SQLite file: what it keeps, what it never keeps, and that nothing is lost without a trace.</summary>
public sealed class HistoryRecorderTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kd-recorder-").FullName;
    private readonly FakeTimeProvider _time = new();
    private SqliteHistoryStore _store = null!;

    private string DbPath => Path.Combine(_directory, "history.db");

    public async Task InitializeAsync() => _store = await SqliteHistoryStore.OpenAsync(DbPath, _time, default);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static ObservedObject Observed(JsonObject? o, string uid, int rv, string name = "nginx", string resource = "deployments", string group = "apps") =>
        new(uid, rv.ToString(System.Globalization.CultureInfo.InvariantCulture), group, resource, "default", name, o);

    private static JsonObject With(JsonObject o, Action<JsonObject> change)
    {
        var copy = Recorded.Copy(o);
        change(copy);
        return copy;
    }

    [Fact]
    public async Task CreateStatusOnlyUpdateImageChangeDelete_KeepsThreeVersions_EachRebuildable()
    {
        var v1 = Recorded.Deployment();
        var statusOnly = With(v1, d => d["status"]!["readyReplicas"] = 0);
        var v2 = With(v1, d => d["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "nginx:1.27");
        await using (var recorder = new HistoryRecorder(_store, new RecorderOptions(), _time))
        {
            recorder.Observe(Observed(v1, "u1", 1)).ShouldBeTrue();
            recorder.Observe(Observed(statusOnly, "u1", 2));
            recorder.Observe(Observed(v2, "u1", 3));
            recorder.Observe(Observed(null, "u1", 4));
            await recorder.FlushAsync(default);
        }

        var versions = await _store.VersionsAsync("u1", 10, default);
        versions.Select(v => (v.Number, v.Version.ResourceVersion, v.Version.Change)).ShouldBe(
            [(3L, "4", ChangeKind.Deleted), (2L, "3", ChangeKind.Updated), (1L, "1", ChangeKind.Created)]);
        versions[1].Version.ChangedPaths.ShouldBe(["spec.template.spec.containers[0].image"]);
        var rebuilt = VersionReplay.Replay(Enumerable.Reverse(versions)).Select(r => r.Object).ToList();
        JsonNode.DeepEquals(rebuilt[1], ChangeRules.Normalize(v2)).ShouldBeTrue();
    }

    [Fact]
    public async Task AnObjectNoLongerCached_IsDiffedAgainstTheStore_NotRecordedWhole()
    {
        var deployment = Recorded.Deployment();
        await using (var recorder = new HistoryRecorder(_store, new RecorderOptions { CachedBytes = 0 }, _time))
        {
            for (var i = 0; i < 30; i++) recorder.Observe(Observed(With(deployment, d => d["metadata"]!["name"] = $"app-{i}"), $"u{i}", 10 + i, $"app-{i}"));
            await recorder.FlushAsync(default); // written, and app-0 long gone from a 3-object cache
            recorder.Observe(Observed(With(deployment, d => { d["metadata"]!["name"] = "app-0"; d["spec"]!["replicas"] = 9; }), "u0", 20, "app-0"));
            await recorder.FlushAsync(default);
        }

        var latest = (await _store.VersionsAsync("u0", 1, default)).Single().Version;
        latest.Change.ShouldBe(ChangeKind.Updated);
        latest.ChangedPaths.ShouldBe(["spec.replicas"]);
    }

    [Fact]
    public async Task AFullQueue_DropsWithoutBlocking_AndStoresTheSpanAsAGap()
    {
        var blocking = new BlockingStore(_store);
        var deployment = Recorded.Deployment();
        int dropped;
        var gapStart = _time.GetUtcNow();
        await using (var recorder = new HistoryRecorder(blocking, new RecorderOptions { QueueCapacity = 2, BatchSize = 1 }, _time))
        {
            recorder.Observe(Observed(deployment, "u1", 1));
            await blocking.Entered.WaitAsync(TimeSpan.FromSeconds(30)); // the writer holds the first batch
            // The second is taken and turned into a version, which waits for the first to be written.
            recorder.Observe(Observed(With(deployment, d => d["spec"]!["replicas"] = 2), "u1", 2));
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (recorder.Queued > 0 && waited.Elapsed < TimeSpan.FromSeconds(30)) await Task.Yield();
            for (var i = 3; i < 10; i++) recorder.Observe(Observed(With(deployment, d => d["spec"]!["replicas"] = i), "u1", i));
            dropped = (int)recorder.Dropped;
            _time.Advance(TimeSpan.FromMinutes(1));
            blocking.Release();
            await recorder.FlushAsync(default);
        }

        dropped.ShouldBe(5); // one was being written, one waited to be, two waited in the queue
        var gaps = await _store.VersionsAsync("", 10, default);
        gaps.Single().Version.Change.ShouldBe(ChangeKind.Gap);
        gaps.Single().Version.ChangedPaths.Single().ShouldBe($"no history between {gapStart:O} and {gapStart.AddMinutes(1):O}");
    }

    [Fact]
    public async Task ASecretsValues_NeverReachTheDatabase()
    {
        const string value = "c3VwZXItc2VjcmV0LXBhc3N3b3Jk"; // super-secret-password
        JsonObject Secret(string password, string time) => new()
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = "db",
                ["namespace"] = "default",
                ["uid"] = "s1",
                ["managedFields"] = new JsonArray(new JsonObject
                {
                    ["manager"] = "kubectl",
                    ["operation"] = "Update",
                    ["time"] = time,
                    ["fieldsType"] = "FieldsV1",
                    ["fieldsV1"] = new JsonObject { ["f:data"] = new JsonObject { ["f:password"] = new JsonObject() } },
                }),
            },
            ["data"] = new JsonObject { ["password"] = password },
            ["type"] = "Opaque",
        };
        await using (var recorder = new HistoryRecorder(_store, new RecorderOptions { SnapshotEvery = 1 }, _time))
        {
            recorder.Observe(Observed(Secret(value, _time.NextStamp()), "s1", 1, "db", "secrets", ""));
            recorder.Observe(Observed(Secret(value + "Mg==", _time.NextStamp()), "s1", 2, "db", "secrets", ""));
            recorder.Observe(Observed(Secret(value + "Mw==", _time.NextStamp()), "s1", 3, "db", "secrets", ""));
            await recorder.FlushAsync(default);
        }

        (await _store.VersionsAsync("s1", 10, default)).First().Version.ChangedPaths.ShouldBe(["data.password (written)"]);
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(_directory))
        {
            var bytes = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file));
            bytes.ShouldNotContain(value);
            bytes.ShouldNotContain("super-secret");
        }
        _store = await SqliteHistoryStore.OpenAsync(DbPath, _time, default);
    }

    [Fact]
    public async Task AStoreThatRefusesWrites_IsRetried_AndNothingIsLost()
    {
        var flaky = new FlakyStore(_store, failures: 3);
        var deployment = Recorded.Deployment();
        await using (var recorder = new HistoryRecorder(flaky, new RecorderOptions(), _time))
        {
            recorder.Observe(Observed(deployment, "u1", 1));
            recorder.Observe(Observed(With(deployment, d => d["spec"]!["replicas"] = 5), "u1", 2));
            // Each retry waits on the test's clock: move it on until the batch is in (bounded, never a fixed sleep).
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while ((await _store.VersionsAsync("u1", 10, default)).Count < 2 && waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                _time.Advance(TimeSpan.FromSeconds(30));
                await Task.Yield();
            }
            await recorder.FlushAsync(default);
            recorder.Failures.ShouldBe(3);
            recorder.StoreAnswering.ShouldBeTrue();
        }

        (await _store.VersionsAsync("u1", 10, default)).Select(v => v.Version.Change).ShouldBe([ChangeKind.Updated, ChangeKind.Created]);
        (await _store.VersionsAsync("", 10, default)).ShouldBeEmpty(); // no gap: nothing was dropped
    }

    [Fact]
    public async Task AListThatNoLongerHoldsAnObject_RecordsItsDeletion_ObservedLate()
    {
        var deployment = Recorded.Deployment();
        await using (var recorder = new HistoryRecorder(_store, new RecorderOptions(), _time))
        {
            (await recorder.ObservePageAsync([Observed(deployment, "u1", 1), Observed(With(deployment, d => d["metadata"]!["name"] = "other"), "u2", 2, "other")], default)).ShouldBeTrue();
            recorder.ObserveListEnd("apps", "deployments", "2", new HashSet<string> { "u1", "u2" });
            await recorder.FlushAsync(default);
            // Restarted, or re-listed after 410: u2 is gone, and nobody saw it go.
            await recorder.ObservePageAsync([Observed(deployment, "u1", 1)], default);
            recorder.ObserveListEnd("apps", "deployments", "9", new HashSet<string> { "u1" });
            await recorder.FlushAsync(default);
        }

        var u2 = await _store.VersionsAsync("u2", 10, default);
        u2[0].Version.Change.ShouldBe(ChangeKind.Deleted);
        u2[0].Version.ResourceVersion.ShouldBe("9");
        u2[0].Version.ObservedLate.ShouldBeTrue();
        (await _store.VersionsAsync("u1", 10, default)).Count.ShouldBe(1); // unchanged: not recorded again
    }

    [Fact]
    public async Task ALaggingReplicasOlderView_NeverMovesHistoryBack_NorDeletesWhatItHasNotSeen()
    {
        var deployment = Recorded.Deployment();
        var scaled = With(deployment, d => d["spec"]!["replicas"] = 7);
        await using (var ahead = new HistoryRecorder(_store, new RecorderOptions(), _time))
        {
            ahead.Observe(Observed(deployment, "u1", 10));
            ahead.Observe(Observed(scaled, "u1", 20));
            ahead.Observe(Observed(deployment, "u2", 30, "born-later"));
            await ahead.FlushAsync(default);
        }
        await using (var behind = new HistoryRecorder(_store, new RecorderOptions(), _time))
        {
            // Its LIST was taken at resourceVersion 15: before the scale, and before u2 existed.
            await behind.ObservePageAsync([Observed(deployment, "u1", 10)], default);
            behind.ObserveListEnd("apps", "deployments", "15", new HashSet<string> { "u1" });
            await behind.FlushAsync(default);
        }

        (await _store.VersionsAsync("u1", 10, default)).Select(v => v.Version.ResourceVersion).ShouldBe(["20", "10"]);
        (await _store.VersionsAsync("u2", 10, default)).Single().Version.Change.ShouldBe(ChangeKind.Created);
    }

    [Fact]
    public async Task AListLongerThanTheBacklog_WaitsForTheStore_AndIsRecordedWhole()
    {
        var blocking = new BlockingStore(_store);
        var deployment = Recorded.Deployment();
        await using (var recorder = new HistoryRecorder(blocking, new RecorderOptions { ListBacklog = 2, BatchSize = 1 }, _time))
        {
            // Ten pages of one object: with the store holding the first write, at most one page is written, one
            // waits to be, and two are queued; the list cannot get past them.
            var listing = Task.Run(async () =>
            {
                for (var i = 0; i < 10; i++)
                {
                    (await recorder.ObservePageAsync([Observed(With(deployment, d => d["metadata"]!["name"] = $"app-{i}"), $"u{i}", 10 + i, $"app-{i}")], default)).ShouldBeTrue();
                }
            });
            await blocking.Entered.WaitAsync(TimeSpan.FromSeconds(30));
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (recorder.Queued < 2 && waited.Elapsed < TimeSpan.FromSeconds(30)) await Task.Yield();
            recorder.Queued.ShouldBe(2);
            listing.IsCompleted.ShouldBeFalse();

            blocking.Release();
            await listing.WaitAsync(TimeSpan.FromSeconds(30));
            await recorder.FlushAsync(default);
            recorder.Dropped.ShouldBe(0);
        }

        for (var i = 0; i < 10; i++) (await _store.VersionsAsync($"u{i}", 10, default)).Single().Version.Change.ShouldBe(ChangeKind.Created);
    }

    [Fact]
    public async Task AListWhileTheStoreIsAway_NeverWaits_AndWhatTheBacklogCannotHoldIsAGap()
    {
        var flaky = new FlakyStore(_store, failures: 1_000_000);
        var deployment = Recorded.Deployment();
        await using var recorder = new HistoryRecorder(flaky, new RecorderOptions { ListBacklog = 2, BatchSize = 1 }, _time);
        recorder.Observe(Observed(deployment, "first", 1, "first"));
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (recorder.StoreAnswering && waited.Elapsed < TimeSpan.FromSeconds(30)) await Task.Yield();
        recorder.StoreAnswering.ShouldBeFalse();

        // Readiness waits on the list: it must finish although nothing can be written.
        var results = new List<bool>();
        for (var i = 0; i < 10; i++)
        {
            results.Add(await recorder.ObservePageAsync([Observed(With(deployment, d => d["metadata"]!["name"] = $"app-{i}"), $"u{i}", 10 + i, $"app-{i}")], default)
                .AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        }
        // Held: the backlog, and at most one page the recorder took to turn into versions while the write waits.
        var held = results.Count(queued => queued);
        held.ShouldBeInRange(2, 3);
        recorder.Dropped.ShouldBe(10 - held);
    }

    [Fact]
    public async Task ObjectsTheStoreNeverSaw_AreRecordedWithoutReadingTheirVersions_AndRecentChangesAreDiffedFromMemory()
    {
        var counting = new CountingStore(_store);
        var deployment = Recorded.Deployment();
        List<ObservedObject> Page(int rv, int replicas) => [.. Enumerable.Range(0, 50).Select(i =>
            Observed(With(deployment, d => { d["metadata"]!["name"] = $"app-{i}"; d["spec"]!["replicas"] = replicas; }), $"u{i}", rv + i, $"app-{i}"))];
        await using (var recorder = new HistoryRecorder(counting, new RecorderOptions(), _time))
        {
            await recorder.ObservePageAsync(Page(100, 1), default);
            await recorder.FlushAsync(default);
            counting.VersionReads.ShouldBe(0); // a first recording asks once per batch, not once per object

            foreach (var o in Page(200, 2)) recorder.Observe(o);
            await recorder.FlushAsync(default);
            counting.VersionReads.ShouldBe(0); // each one's last version was in memory
        }
        await using (var restarted = new HistoryRecorder(counting, new RecorderOptions { CachedBytes = 0 }, _time))
        {
            foreach (var o in Page(300, 3)) restarted.Observe(o);
            await restarted.FlushAsync(default);
            counting.VersionReads.ShouldBe(50); // nothing in memory: each update is diffed against the store
        }

        var versions = await _store.VersionsAsync("u7", 10, default);
        versions.Select(v => v.Version.Change).ShouldBe([ChangeKind.Updated, ChangeKind.Updated, ChangeKind.Created]);
        versions[0].Version.ChangedPaths.ShouldBe(["spec.replicas"]);
    }

    /// <summary>A store that counts how often an object's versions are read.</summary>
    private sealed class CountingStore(IHistoryStore inner) : DelegatingStore(inner)
    {
        private int _reads;

        public int VersionReads => Volatile.Read(ref _reads);

        public override Task<List<StoredVersion>> VersionsAsync(string uid, int limit, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            return base.VersionsAsync(uid, limit, cancellationToken);
        }
    }

    /// <summary>A store whose first writes fail, as a database that is away does.</summary>
    private sealed class FlakyStore(IHistoryStore inner, int failures) : DelegatingStore(inner)
    {
        private int _left = failures;

        public override Task<int> AppendAsync(IReadOnlyList<VersionRecord> batch, CancellationToken cancellationToken) =>
            Interlocked.Decrement(ref _left) >= 0 ? throw new IOException("connection refused") : base.AppendAsync(batch, cancellationToken);
    }

    /// <summary>A store whose writes wait until the test releases them.</summary>
    private sealed class BlockingStore(IHistoryStore inner) : DelegatingStore(inner)
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public void Release() => _release.TrySetResult();

        public override async Task<int> AppendAsync(IReadOnlyList<VersionRecord> batch, CancellationToken cancellationToken)
        {
            _entered.TrySetResult();
            await _release.Task;
            return await base.AppendAsync(batch, cancellationToken);
        }
    }
}
