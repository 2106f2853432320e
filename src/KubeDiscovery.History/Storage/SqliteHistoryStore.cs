using System.Globalization;
using Microsoft.Data.Sqlite;

namespace KubeDiscovery.History.Storage;

/// <summary>
/// History in an embedded SQLite file (<c>--history-db FILE</c>), the default store. Writes are idempotent
/// on (uid, resourceVersion), so a change seen twice — after a re-list, or by two replicas — is stored
/// once. WAL mode lets queries read while the recorder writes.
/// </summary>
public sealed class SqliteHistoryStore : IHistoryStore
{
    private static readonly string[] InsertParameters =
        ["$uid", "$rv", "$group", "$resource", "$namespace", "$name", "$change", "$at", "$generation", "$managers", "$paths", "$patch", "$snapshot", "$late"];

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private SqliteHistoryStore(SqliteConnection connection, int schemaVersion)
    {
        _connection = connection;
        SchemaVersion = schemaVersion;
    }

    /// <summary>The schema version the database is at after opening.</summary>
    public int SchemaVersion { get; }

    /// <summary>Opens (creating if needed) the database and applies the migrations it lacks.</summary>
    /// <param name="time">When each migration is recorded as applied.</param>
    public static async Task<SqliteHistoryStore> OpenAsync(string path, TimeProvider time, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);", cancellationToken).ConfigureAwait(false);
            var current = await ScalarAsync(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations;", cancellationToken).ConfigureAwait(false);
            foreach (var (version, sql) in SqliteMigrations.Steps.Where(s => s.Version > current))
            {
                using var transaction = connection.BeginTransaction();
                await ExecuteAsync(connection, sql, cancellationToken, transaction).ConfigureAwait(false);
                await ExecuteAsync(connection, $"INSERT INTO schema_migrations (version, applied_at) VALUES ({version}, {time.GetUtcNow().ToUnixTimeMilliseconds()});", cancellationToken, transaction).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                current = version;
            }
            return new SqliteHistoryStore(connection, (int)current);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stores a batch in one transaction; returns how many were new (a version already stored is skipped).</summary>
    public async Task<int> AppendAsync(IReadOnlyList<VersionRecord> batch, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = _connection.BeginTransaction();
            using var insert = _connection.CreateCommand();
            insert.Transaction = transaction;
            // The next number of this object, in the same statement: SQLite has one writer at a time. Only a
            // version already stored is skipped; any other conflict is an error, never a silent loss.
            insert.CommandText = $"""
                INSERT INTO versions ({StoredColumns.Insert}, number)
                SELECT {string.Join(", ", InsertParameters)}, COALESCE((SELECT MAX(number) FROM versions WHERE uid = $uid), 0) + 1
                WHERE true ON CONFLICT (uid, resource_version) DO NOTHING;
                """;
            var parameters = InsertParameters.Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
            var inserted = 0;
            foreach (var v in batch)
            {
                var values = StoredColumns.Values(v);
                for (var i = 0; i < values.Length; i++) parameters[i].Value = values[i] ?? DBNull.Value;
                inserted += await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return inserted;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>An object's versions, newest first, with the numbers they were stored under.</summary>
    public Task<List<StoredVersion>> VersionsAsync(string uid, int limit, CancellationToken cancellationToken) =>
        WithCommandAsync(c => HistoryQueries.VersionsAsync(c, uid, limit, cancellationToken), cancellationToken);

    public Task<List<Incarnation>> IncarnationsAsync(string group, string resource, string? objectNamespace, string name, CancellationToken cancellationToken) =>
        WithCommandAsync(c => HistoryQueries.IncarnationsAsync(c, group, resource, objectNamespace, name, cancellationToken), cancellationToken);

    // SQLite has no arrays: the uids travel as one JSON array, read back by json_each.
    public Task<List<StoredVersion>> ChangesAsync(ChangeQuery query, CancellationToken cancellationToken) =>
        WithCommandAsync(c => HistoryQueries.ChangesAsync(c, query, "v.uid IN (SELECT value FROM json_each(@uids))", HistoryQueries.UidsJson, cancellationToken), cancellationToken);

    public Task<long> LastSeqAsync(CancellationToken cancellationToken) =>
        WithCommandAsync(c => HistoryQueries.LastSeqAsync(c, cancellationToken), cancellationToken);

    public Task<List<LiveObject>> LiveObjectsAsync(string group, string resource, IReadOnlySet<string>? except, CancellationToken cancellationToken) =>
        WithCommandAsync(c => HistoryQueries.LiveObjectsAsync(c, group, resource, except, cancellationToken), cancellationToken);

    public Task<List<LatestVersion>> LatestAsync(IReadOnlyCollection<string> uids, CancellationToken cancellationToken) =>
        WithCommandAsync(c => HistoryQueries.LatestAsync(c, uids, "v.uid IN (SELECT value FROM json_each(@uids))", HistoryQueries.UidsJson, cancellationToken), cancellationToken);

    public Task<int> AttributeAsync(IReadOnlyList<Attribution> attributions, CancellationToken cancellationToken) =>
        WithCommandAsync(async c =>
        {
            using var transaction = _connection.BeginTransaction();
            c.Transaction = transaction;
            var stored = await HistoryQueries.AttributeAsync(c, attributions, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return stored;
        }, cancellationToken);

    public Task<List<(string Uid, long Number)>> RebaseCandidatesAsync(int maxVersionsPerObject, DateTimeOffset olderThan, CancellationToken cancellationToken) =>
        WithCommandAsync(c => HistoryQueries.RebaseCandidatesAsync(c, maxVersionsPerObject, olderThan, cancellationToken), cancellationToken);

    public Task SetSnapshotAsync(string uid, long number, string snapshot, CancellationToken cancellationToken) =>
        WithCommandAsync(async c =>
        {
            await HistoryQueries.SetSnapshotAsync(c, uid, number, snapshot, cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken);

    // One connection, one statement at a time: SQLite serialises writers anyway, and a single connection
    // keeps the WAL file's readers and the writer in one process simple.
    private async Task<T> WithCommandAsync<T>(Func<SqliteCommand, Task<T>> run, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = _connection.CreateCommand();
            return await run(command).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Retention: drops versions observed before <paramref name="olderThan"/>, and all but the newest
    /// <paramref name="maxVersionsPerObject"/> of each object. Returns how many went.
    /// </summary>
    public async Task<int> PruneAsync(int maxVersionsPerObject, DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var prune = _connection.CreateCommand();
            prune.CommandText = """
                DELETE FROM versions WHERE observed_at < $before;
                DELETE FROM versions WHERE seq IN (
                    SELECT seq FROM (SELECT seq, ROW_NUMBER() OVER (PARTITION BY uid ORDER BY seq DESC) AS newest FROM versions) WHERE newest > $max);
                """;
            prune.Parameters.AddWithValue("$before", olderThan.ToUnixTimeMilliseconds());
            prune.Parameters.AddWithValue("$max", maxVersionsPerObject);
            return await prune.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }
}
