using KubeDiscovery.History.Recording;
using KubeDiscovery.History.Storage;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.History.Tests.Storage;

/// <summary>
/// What every store must do, run against SQLite and against a real PostgreSQL: migrated at open,
/// idempotent on (uid, resourceVersion) across two stores on one database, newest first, pruned by count
/// and age.
/// </summary>
public abstract class HistoryStoreContract
{
    /// <summary>The test's one clock: observation times are minutes after its start, migrations are stamped by it.</summary>
    protected FakeTimeProvider Time { get; } = new();

    private DateTimeOffset T0 => Time.Start;

    /// <summary>A database no other test uses, as the store opens it.</summary>
    protected abstract Task<string> NewDatabaseAsync();

    protected abstract Task<IHistoryStore> OpenAsync(string database);

    protected abstract int LatestSchema { get; }

    private VersionRecord Version(string uid, int rv, ChangeKind change = ChangeKind.Updated, int minutes = 0, string name = "web") =>
        new(uid, rv.ToString(System.Globalization.CultureInfo.InvariantCulture), "apps", "deployments", "shop", name, change, T0.AddMinutes(minutes), rv,
            [new FieldManager("kubectl-set", "Update", Time.Stamp())], ["spec.template.spec.containers[0].image"],
            """[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.27"}]""", null);

    [Fact]
    public async Task ANewDatabase_IsMigratedToTheLatestSchema_AndReopeningKeepsWhatWasStored()
    {
        var database = await NewDatabaseAsync();
        await using (var store = await OpenAsync(database))
        {
            store.SchemaVersion.ShouldBe(LatestSchema);
            (await store.AppendAsync([Version("u1", 1, ChangeKind.Created), Version("u1", 2, minutes: 1)], default)).ShouldBe(2);
        }

        await using var reopened = await OpenAsync(database);
        reopened.SchemaVersion.ShouldBe(LatestSchema);
        var versions = await reopened.VersionsAsync("u1", 10, default);

        versions.Select(v => (v.Number, v.Version.ResourceVersion, v.Version.Change)).ShouldBe([(2L, "2", ChangeKind.Updated), (1L, "1", ChangeKind.Created)]);
        var (read, written) = (versions[0].Version, Version("u1", 2, minutes: 1));
        read.Managers.ShouldBe(written.Managers);
        read.ChangedPaths.ShouldBe(written.ChangedPaths);
        (read with { Managers = written.Managers, ChangedPaths = written.ChangedPaths }).ShouldBe(written);
    }

    [Fact]
    public async Task TheSameChangeSeenTwice_IsStoredOnce_AsTwoReplicasRecordingIt()
    {
        var database = await NewDatabaseAsync();
        await using var first = await OpenAsync(database);
        await using var second = await OpenAsync(database);

        (await first.AppendAsync([Version("u1", 1, ChangeKind.Created), Version("u1", 2)], default)).ShouldBe(2);
        (await second.AppendAsync([Version("u1", 2), Version("u1", 3)], default)).ShouldBe(1);

        (await first.VersionsAsync("u1", 10, default)).Select(v => v.Version.ResourceVersion).ShouldBe(["3", "2", "1"]);
    }

    [Fact]
    public async Task TwoRecordersWritingOneObjectAtOnce_NumberEveryVersionOnce_AndLoseNone()
    {
        var database = await NewDatabaseAsync();
        await using var first = await OpenAsync(database);
        await using var second = await OpenAsync(database);

        async Task Write(IHistoryStore store, int parity)
        {
            for (var rv = 1; rv <= 40; rv++)
            {
                if (rv % 2 == parity) await store.AppendAsync([Version("busy", rv)], default);
            }
        }
        await Task.WhenAll(Task.Run(() => Write(first, 0)), Task.Run(() => Write(second, 1)));

        var versions = await first.VersionsAsync("busy", 100, default);
        versions.Count.ShouldBe(40);
        versions.Select(v => v.Number).Order().ShouldBe(Enumerable.Range(1, 40).Select(n => (long)n));
    }

    [Fact]
    public async Task ADeletedAndRecreatedName_HasOneIncarnationPerUid_NewestFirst()
    {
        await using var store = await OpenAsync(await NewDatabaseAsync());
        await store.AppendAsync([Version("first", 1, ChangeKind.Created), Version("first", 2, ChangeKind.Deleted, minutes: 5),
            Version("second", 3, ChangeKind.Created, minutes: 6), Version("other", 4, ChangeKind.Created, name: "api")], default);

        var lives = await store.IncarnationsAsync("apps", "deployments", "shop", "web", default);
        lives.Select(l => (l.Uid, l.Deleted)).ShouldBe([("second", false), ("first", true)]);
        lives[1].LastSeen.ShouldBe(T0.AddMinutes(5));
        (await store.LiveObjectsAsync("apps", "deployments", null, default)).Select(o => o.Uid).Order().ShouldBe(["other", "second"]);
        (await store.LiveObjectsAsync("apps", "deployments", new HashSet<string> { "other" }, default)).Select(o => o.Uid).ShouldBe(["second"]);
    }

    [Fact]
    public async Task TheLatestVersions_OfMany_NameEachStoredObjectsNewest_AndNothingForOnesNeverStored()
    {
        await using var store = await OpenAsync(await NewDatabaseAsync());
        await store.AppendAsync([Version("first", 1, ChangeKind.Created), Version("first", 2, ChangeKind.Deleted, minutes: 5),
            Version("second", 3, ChangeKind.Created, minutes: 6), Version("second", 7, minutes: 7)], default);

        var latest = await store.LatestAsync(["first", "second", "never"], default);

        latest.OrderBy(l => l.Uid, StringComparer.Ordinal).ShouldBe([new LatestVersion("first", "2", Deleted: true), new LatestVersion("second", "7", Deleted: false)]);
    }

    [Fact]
    public async Task Changes_AreTheWindowsVersionsOfTheObjectsAsked_OldestFirst_WithGaps()
    {
        await using var store = await OpenAsync(await NewDatabaseAsync());
        var gap = new VersionRecord("", "gap-1", "", "", null, "", ChangeKind.Gap, T0.AddMinutes(30), null, [], ["no history between a and b"], null, null);
        await store.AppendAsync([Version("a", 1, ChangeKind.Created), Version("a", 2, minutes: 40), Version("b", 3, minutes: 50, name: "api"),
            Version("c", 4, minutes: 45, name: "db"), gap], default);

        var tree = await store.ChangesAsync(new ChangeQuery { Since = T0.AddMinutes(10), Uids = ["a", "b"] }, default);
        tree.Select(v => (v.Version.Uid, v.Version.ResourceVersion)).ShouldBe([("", "gap-1"), ("a", "2"), ("b", "3")]);
        var named = await store.ChangesAsync(new ChangeQuery { Since = T0, Namespace = "shop", Name = "db", IncludeGaps = false }, default);
        named.Single().Version.Uid.ShouldBe("c");
        var newest = await store.ChangesAsync(new ChangeQuery { Since = T0, Limit = 2, IncludeGaps = false }, default);
        newest.Select(v => v.Version.Uid).ShouldBe(["c", "b"]);
    }

    [Fact]
    public async Task ListPagesGoOldestFirst_AndAFeedGoesInWrittenOrder_BothBoundedByTheListsLastRow()
    {
        await using var store = await OpenAsync(await NewDatabaseAsync());
        (await store.LastSeqAsync(default)).ShouldBe(0);
        // b is written after c but was observed before it (seen late): pages follow observed time, a feed the writing.
        await store.AppendAsync([Version("a", 1, ChangeKind.Created), Version("c", 2, minutes: 45, name: "db")], default);
        await store.AppendAsync([Version("b", 3, minutes: 40, name: "api")], default);
        var listedAt = await store.LastSeqAsync(default);
        await store.AppendAsync([Version("d", 4, minutes: 50, name: "web")], default);

        var first = await store.ChangesAsync(new ChangeQuery { Since = T0, Order = ChangeOrder.OldestFirst, UpToSeq = listedAt, Limit = 2 }, default);
        first.Select(v => v.Version.Uid).ShouldBe(["a", "b"]);
        var second = await store.ChangesAsync(new ChangeQuery { Since = T0, Order = ChangeOrder.OldestFirst, UpToSeq = listedAt, After = ChangeCursor.Of(first[^1]), Limit = 2 }, default);
        second.Select(v => v.Version.Uid).ShouldBe(["c"]); // d was written after the list began: the watch's

        var feed = await store.ChangesAsync(new ChangeQuery { Since = DateTimeOffset.UnixEpoch, Order = ChangeOrder.Written, AfterSeq = first[0].Seq, Limit = 10 }, default);
        feed.Select(v => v.Version.Uid).ShouldBe(["c", "b", "d"]);
        feed.Select(v => v.Seq).ShouldBeInOrder();
        (await store.ChangesAsync(new ChangeQuery { Since = DateTimeOffset.UnixEpoch, Order = ChangeOrder.Written, AfterSeq = listedAt, Limit = 10 }, default))
            .Single().Version.Uid.ShouldBe("d");
    }

    [Fact]
    public async Task AnAuditAttribution_NamesTheUserOfTheVersionItProduced_WhicheverArrivesFirst()
    {
        await using var store = await OpenAsync(await NewDatabaseAsync());
        await store.AttributeAsync([new Attribution("a", "2", "alice", "kubectl/v1.19.0", "patch", T0)], default);
        await store.AttributeAsync([new Attribution("a", "2", "mallory", null, "patch", T0)], default); // a replay does not rewrite
        await store.AppendAsync([Version("a", 1, ChangeKind.Created), Version("a", 2)], default);

        var versions = await store.VersionsAsync("a", 10, default);
        versions[0].By.ShouldNotBeNull().User.ShouldBe("alice");
        versions[0].By!.UserAgent.ShouldBe("kubectl/v1.19.0");
        versions[1].By.ShouldBeNull();
    }

    [Fact]
    public async Task Retention_GivesTheFirstVersionThatStaysTheWholeObject_SoItStillRebuilds()
    {
        await using var store = await OpenAsync(await NewDatabaseAsync());
        var created = new VersionRecord("r", "1", "apps", "deployments", "shop", "web", ChangeKind.Created, T0, 1, [], [],
            """[{"op":"replace","path":"","value":{"spec":{"replicas":1}}}]""", null);
        List<VersionRecord> updates = [.. Enumerable.Range(2, 4).Select(i => created with
        {
            ResourceVersion = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Change = ChangeKind.Updated,
            ObservedAt = T0.AddMinutes(i),
            Patch = $$"""[{"op":"replace","path":"/spec/replicas","value":{{i}}}]""",
        })];
        await store.AppendAsync([created, .. updates], default);

        (await Retention.ApplyAsync(store, maxVersionsPerObject: 2, olderThan: T0.AddDays(-1), default)).ShouldBe(3);

        var left = await store.VersionsAsync("r", 10, default);
        left.Select(v => v.Number).ShouldBe([5L, 4L]);
        var rebuilt = VersionReplay.Replay(Enumerable.Reverse(left)).Select(r => r.Object?["spec"]?["replicas"]?.GetValue<int>()).ToList();
        rebuilt.ShouldBe([4, 5]);
    }

    [Fact]
    public async Task Retention_KeepsTheNewestPerObject_AndDropsWhatIsTooOld()
    {
        await using var store = await OpenAsync(await NewDatabaseAsync());
        await store.AppendAsync(Enumerable.Range(1, 10).Select(i => Version("many", i, minutes: 100 + i)).ToList(), default);
        await store.AppendAsync([Version("old", 1, minutes: 0), Version("old", 2, minutes: 50)], default);

        var dropped = await store.PruneAsync(maxVersionsPerObject: 3, olderThan: T0.AddMinutes(10), default);

        dropped.ShouldBe(7 + 1);
        // Kept versions keep their numbers: version 10 is still 10, so a diff asked by number names the same one.
        (await store.VersionsAsync("many", 100, default)).Select(v => (v.Number, v.Version.ResourceVersion)).ShouldBe([(10L, "10"), (9L, "9"), (8L, "8")]);
        (await store.VersionsAsync("old", 100, default)).Select(v => v.Version.ResourceVersion).ShouldBe(["2"]);
    }
}

public sealed class SqliteHistoryStoreTests : HistoryStoreContract, IDisposable
{
    [Fact]
    public async Task ADatabaseOfTheFirstSchema_IsBroughtForward_WithItsVersionsNumbered()
    {
        var path = await NewDatabaseAsync();
        await using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            await old.OpenAsync();
            await using var setup = old.CreateCommand();
            setup.CommandText = $"""
                CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
                {SqliteMigrations.Steps[0].Sql}
                INSERT INTO schema_migrations VALUES (1, 0);
                INSERT INTO versions (uid, resource_version, api_group, resource, namespace, name, change, observed_at, managers, changed_paths)
                VALUES ('u1', '5', 'apps', 'deployments', 'shop', 'web', 'Created', 0, '[]', '[]'),
                       ('u1', '9', 'apps', 'deployments', 'shop', 'web', 'Updated', 1, '[]', '[]');
                """;
            await setup.ExecuteNonQueryAsync();
        }

        await using var store = await OpenAsync(path);

        store.SchemaVersion.ShouldBe(LatestSchema);
        (await store.VersionsAsync("u1", 10, default)).Select(v => (v.Number, v.Version.ResourceVersion)).ShouldBe([(2L, "9"), (1L, "5")]);
    }

    private readonly string _directory = Directory.CreateTempSubdirectory("kd-history-").FullName;
    private int _files;

    protected override int LatestSchema => SqliteMigrations.Steps[^1].Version;

    protected override Task<string> NewDatabaseAsync() => Task.FromResult(Path.Combine(_directory, $"history-{++_files}.db"));

    protected override async Task<IHistoryStore> OpenAsync(string database) => await SqliteHistoryStore.OpenAsync(database, Time, default);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

public sealed class PostgresHistoryStoreTests(PostgresFixture postgres) : HistoryStoreContract, IClassFixture<PostgresFixture>
{
    protected override int LatestSchema => PostgresHistoryStore.LatestSchema;

    protected override Task<string> NewDatabaseAsync() => postgres.Server.NewDatabaseAsync();

    protected override async Task<IHistoryStore> OpenAsync(string database) => await PostgresHistoryStore.OpenAsync(database, Time, default);
}
