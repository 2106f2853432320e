using Npgsql;

namespace KubeDiscovery.History.Storage;

/// <summary>
/// History in PostgreSQL (<c>--history-db</c> given a connection string), so several replicas share one
/// history: each records what its own watches see, and <c>ON CONFLICT DO NOTHING</c> on (uid,
/// resourceVersion) stores each change once. Migrations take an advisory lock, so replicas starting
/// together apply each step once.
/// </summary>
public sealed class PostgresHistoryStore : IHistoryStore
{
    // Any fixed number: the lock only has to be the same in every replica.
    private const long MigrationLock = 0x6b6469_73746f72;

    private static readonly (int Version, string Sql)[] Steps =
    [
        (1, """
            CREATE TABLE versions (
                seq BIGSERIAL PRIMARY KEY,
                uid TEXT NOT NULL,
                resource_version TEXT NOT NULL,
                api_group TEXT NOT NULL,
                resource TEXT NOT NULL,
                namespace TEXT NOT NULL,
                name TEXT NOT NULL,
                change TEXT NOT NULL,
                observed_at BIGINT NOT NULL,
                generation BIGINT,
                managers TEXT NOT NULL,
                changed_paths TEXT NOT NULL,
                patch TEXT,
                snapshot TEXT,
                observed_late BOOLEAN NOT NULL DEFAULT FALSE,
                UNIQUE (uid, resource_version)
            );
            CREATE INDEX versions_by_name ON versions (api_group, resource, namespace, name, observed_at);
            CREATE INDEX versions_by_time ON versions (observed_at);
            """),
        // Version numbers that stay put when retention drops older versions (diff?start=N names the same one).
        (2, """
            ALTER TABLE versions ADD COLUMN number BIGINT;
            UPDATE versions v SET number = r.n FROM (SELECT seq, ROW_NUMBER() OVER (PARTITION BY uid ORDER BY seq) AS n FROM versions) r WHERE v.seq = r.seq;
            CREATE UNIQUE INDEX versions_number ON versions (uid, number);
            """),
        // Who made each version, from audit events (joined by uid and resourceVersion); a namespace's timeline.
        (3, """
            CREATE TABLE attributions (
                uid TEXT NOT NULL,
                resource_version TEXT NOT NULL,
                username TEXT NOT NULL,
                user_agent TEXT,
                verb TEXT NOT NULL,
                at BIGINT NOT NULL,
                PRIMARY KEY (uid, resource_version)
            );
            CREATE INDEX versions_by_namespace ON versions (namespace, observed_at);
            """),
    ];

    private readonly NpgsqlDataSource _source;

    private PostgresHistoryStore(NpgsqlDataSource source, int schemaVersion)
    {
        _source = source;
        SchemaVersion = schemaVersion;
    }

    public int SchemaVersion { get; }

    /// <summary>Connects and applies the migrations the database lacks.</summary>
    /// <param name="time">When each migration is recorded as applied.</param>
    public static async Task<PostgresHistoryStore> OpenAsync(string connectionString, TimeProvider time, CancellationToken cancellationToken)
    {
        var source = NpgsqlDataSource.Create(connectionString);
        try
        {
            await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({MigrationLock}); CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL);", cancellationToken).ConfigureAwait(false);
            await using var read = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", connection);
            var current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            foreach (var (version, sql) in Steps.Where(s => s.Version > current))
            {
                await ExecuteAsync(connection, sql, cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, $"INSERT INTO schema_migrations (version, applied_at) VALUES ({version}, {time.GetUtcNow().ToUnixTimeMilliseconds()})", cancellationToken).ConfigureAwait(false);
                current = version;
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new PostgresHistoryStore(source, current);
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The latest schema version this release knows.</summary>
    internal static int LatestSchema => Steps[^1].Version;

    public async Task<int> AppendAsync(IReadOnlyList<VersionRecord> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0) return 0;
        await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Replicas insert concurrently: transaction-scoped locks on the batch's objects, taken in one order so
        // two replicas never wait on each other in a cycle, serialise each object's next number. Then the
        // whole batch is one statement (arrays, not a round trip per version): what is already stored is
        // skipped, and the rest are numbered after the object's newest.
        var uids = batch.Select(v => v.Uid).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        await using (var lockObjects = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext(u)) FROM (SELECT u FROM unnest($1::text[]) u ORDER BY u) ordered", connection))
        {
            lockObjects.Parameters.Add(new NpgsqlParameter { Value = uids });
            await lockObjects.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using var insert = new NpgsqlCommand($"""
            INSERT INTO versions ({StoredColumns.Insert}, number)
            SELECT b.uid, b.rv, b.api_group, b.resource, b.namespace, b.name, b.change, b.observed_at, b.generation, b.managers, b.changed_paths,
                   b.patch, b.snapshot, b.observed_late,
                   COALESCE((SELECT MAX(v.number) FROM versions v WHERE v.uid = b.uid), 0) + ROW_NUMBER() OVER (PARTITION BY b.uid ORDER BY b.ord)
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[],
                        $10::text[], $11::text[], $12::text[], $13::text[], $14::boolean[])
                 WITH ORDINALITY AS b(uid, rv, api_group, resource, namespace, name, change, observed_at, generation, managers, changed_paths, patch, snapshot, observed_late, ord)
            WHERE NOT EXISTS (SELECT 1 FROM versions v WHERE v.uid = b.uid AND v.resource_version = b.rv)
            ON CONFLICT (uid, resource_version) DO NOTHING
            """, connection);
        var rows = batch.Select(StoredColumns.Values).ToList();
        insert.Parameters.Add(new NpgsqlParameter { Value = Column<string>(rows, 0) });
        insert.Parameters.Add(new NpgsqlParameter { Value = Column<string>(rows, 1) });
        insert.Parameters.Add(new NpgsqlParameter { Value = Column<string>(rows, 2) });
        insert.Parameters.Add(new NpgsqlParameter { Value = Column<string>(rows, 3) });
        insert.Parameters.Add(new NpgsqlParameter { Value = Column<string>(rows, 4) });
        insert.Parameters.Add(new NpgsqlParameter { Value = Column<string>(rows, 5) });
        insert.Parameters.Add(new NpgsqlParameter { Value = Column<string>(rows, 6) });
        insert.Parameters.Add(new NpgsqlParameter { Value = Column<long>(rows, 7) });
        insert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => (long?)r[8]).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = Column<string>(rows, 9) });
        insert.Parameters.Add(new NpgsqlParameter { Value = Column<string>(rows, 10) });
        insert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => (string?)r[11]).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => (string?)r[12]).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = Column<bool>(rows, 13) });
        var inserted = await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return inserted;
    }

    private static T[] Column<T>(List<object?[]> rows, int index) => rows.Select(r => (T)r[index]!).ToArray();

    public async Task<List<StoredVersion>> VersionsAsync(string uid, int limit, CancellationToken cancellationToken) =>
        await WithCommandAsync(c => HistoryQueries.VersionsAsync(c, uid, limit, cancellationToken), cancellationToken).ConfigureAwait(false);

    public async Task<List<Incarnation>> IncarnationsAsync(string group, string resource, string? objectNamespace, string name, CancellationToken cancellationToken) =>
        await WithCommandAsync(c => HistoryQueries.IncarnationsAsync(c, group, resource, objectNamespace, name, cancellationToken), cancellationToken).ConfigureAwait(false);

    public async Task<List<StoredVersion>> ChangesAsync(ChangeQuery query, CancellationToken cancellationToken) =>
        await WithCommandAsync(c => HistoryQueries.ChangesAsync(c, query, "v.uid = ANY(@uids)", uids => uids.ToArray(), cancellationToken), cancellationToken).ConfigureAwait(false);

    public async Task<long> LastSeqAsync(CancellationToken cancellationToken) =>
        await WithCommandAsync(c => HistoryQueries.LastSeqAsync(c, cancellationToken), cancellationToken).ConfigureAwait(false);

    public async Task<List<LiveObject>> LiveObjectsAsync(string group, string resource, IReadOnlySet<string>? except, CancellationToken cancellationToken) =>
        await WithCommandAsync(c => HistoryQueries.LiveObjectsAsync(c, group, resource, except, cancellationToken), cancellationToken).ConfigureAwait(false);

    public async Task<List<LatestVersion>> LatestAsync(IReadOnlyCollection<string> uids, CancellationToken cancellationToken) =>
        await WithCommandAsync(c => HistoryQueries.LatestAsync(c, uids, "v.uid = ANY(@uids)", u => u.ToArray(), cancellationToken), cancellationToken).ConfigureAwait(false);

    public async Task<int> AttributeAsync(IReadOnlyList<Attribution> attributions, CancellationToken cancellationToken) =>
        await WithCommandAsync(c => HistoryQueries.AttributeAsync(c, attributions, cancellationToken), cancellationToken).ConfigureAwait(false);

    public async Task<List<(string Uid, long Number)>> RebaseCandidatesAsync(int maxVersionsPerObject, DateTimeOffset olderThan, CancellationToken cancellationToken) =>
        await WithCommandAsync(c => HistoryQueries.RebaseCandidatesAsync(c, maxVersionsPerObject, olderThan, cancellationToken), cancellationToken).ConfigureAwait(false);

    public async Task SetSnapshotAsync(string uid, long number, string snapshot, CancellationToken cancellationToken) =>
        await WithCommandAsync(async c => { await HistoryQueries.SetSnapshotAsync(c, uid, number, snapshot, cancellationToken).ConfigureAwait(false); return 0; }, cancellationToken).ConfigureAwait(false);

    private async Task<T> WithCommandAsync<T>(Func<NpgsqlCommand, Task<T>> run, CancellationToken cancellationToken)
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        return await run(command).ConfigureAwait(false);
    }

    public async Task<int> PruneAsync(int maxVersionsPerObject, DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        await using var prune = _source.CreateCommand("""
            WITH old AS (DELETE FROM versions WHERE observed_at < $1 RETURNING seq),
                 surplus AS (DELETE FROM versions WHERE seq IN (
                     SELECT seq FROM (SELECT seq, ROW_NUMBER() OVER (PARTITION BY uid ORDER BY seq DESC) AS newest FROM versions WHERE observed_at >= $1) ranked
                     WHERE newest > $2) RETURNING seq)
            SELECT (SELECT COUNT(*) FROM old) + (SELECT COUNT(*) FROM surplus)
            """);
        prune.Parameters.Add(new NpgsqlParameter { Value = olderThan.ToUnixTimeMilliseconds() });
        prune.Parameters.Add(new NpgsqlParameter { Value = maxVersionsPerObject });
        return Convert.ToInt32(await prune.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
