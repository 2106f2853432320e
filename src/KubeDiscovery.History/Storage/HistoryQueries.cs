using System.Data.Common;
using System.Text.Json;

namespace KubeDiscovery.History.Storage;

/// <summary>
/// The read and maintenance statements both stores run, written once: SQLite and PostgreSQL share this
/// SQL (named <c>@</c> parameters work in both drivers); only a list of uids is passed differently.
/// </summary>
internal static class HistoryQueries
{
    private static readonly string[] AttributionParameters = ["@uid", "@rv", "@user", "@agent", "@verb", "@at"];

    public static async Task<List<StoredVersion>> VersionsAsync(DbCommand command, string uid, int limit, CancellationToken cancellationToken)
    {
        command.CommandText = $"SELECT {StoredColumns.Select} FROM versions v {StoredColumns.JoinAttribution} WHERE v.uid = @uid ORDER BY v.number DESC LIMIT @limit";
        Add(command, "@uid", uid);
        Add(command, "@limit", limit);
        return await ReadVersionsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<List<Incarnation>> IncarnationsAsync(DbCommand command, string group, string resource, string? ns, string name, CancellationToken cancellationToken)
    {
        command.CommandText = """
            SELECT uid, MIN(observed_at), MAX(observed_at), MAX(CASE WHEN change = 'Deleted' THEN 1 ELSE 0 END), MAX(seq) AS newest
            FROM versions WHERE api_group = @group AND resource = @resource AND namespace = @namespace AND name = @name
            GROUP BY uid ORDER BY newest DESC
            """;
        Add(command, "@group", group);
        Add(command, "@resource", resource);
        Add(command, "@namespace", ns ?? "");
        Add(command, "@name", name);
        List<Incarnation> found = [];
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found.Add(new Incarnation(reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), Convert.ToInt64(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture) == 1));
        }
        return found;
    }

    /// <param name="uidsIn">The SQL that tests <c>v.uid</c> against the <c>@uids</c> parameter, in this store's dialect.</param>
    /// <param name="uidsValue">The <c>@uids</c> parameter's value in this store's dialect.</param>
    public static async Task<List<StoredVersion>> ChangesAsync(DbCommand command, ChangeQuery query, string uidsIn, Func<IReadOnlyCollection<string>, object> uidsValue,
        CancellationToken cancellationToken)
    {
        List<string> filters = [];
        if (query.Uids is { } uids)
        {
            filters.Add(uidsIn);
            Add(command, "@uids", uidsValue(uids));
        }
        if (query.Group is { } group) Filter(command, filters, "v.api_group = @group", "@group", group);
        if (query.Resource is { } resource) Filter(command, filters, "v.resource = @resource", "@resource", resource);
        if (query.Namespace is { } ns) Filter(command, filters, "v.namespace = @namespace", "@namespace", ns);
        if (query.Name is { } name) Filter(command, filters, "v.name = @name", "@name", name);
        var matching = filters.Count == 0 ? "v.uid <> ''" : string.Join(" AND ", filters);
        var window = "";
        if (query.UpToSeq is { } upTo)
        {
            window += " AND v.seq <= @upToSeq";
            Add(command, "@upToSeq", upTo);
        }
        string order;
        switch (query.Order)
        {
            case ChangeOrder.OldestFirst:
                order = "v.observed_at, v.seq";
                if (query.After is { } after)
                {
                    window += " AND (v.observed_at, v.seq) > (@afterAt, @afterSeq)";
                    Add(command, "@afterAt", after.ObservedAt.ToUnixTimeMilliseconds());
                    Add(command, "@afterSeq", after.Seq);
                }
                break;
            case ChangeOrder.Written:
                order = "v.seq";
                if (query.AfterSeq is { } afterSeq)
                {
                    window += " AND v.seq > @afterSeq";
                    Add(command, "@afterSeq", afterSeq);
                }
                break;
            default:
                order = "v.observed_at DESC, v.seq DESC";
                if (query.Before is { } cursor)
                {
                    window += " AND (v.observed_at, v.seq) < (@beforeAt, @beforeSeq)";
                    Add(command, "@beforeAt", cursor.ObservedAt.ToUnixTimeMilliseconds());
                    Add(command, "@beforeSeq", cursor.Seq);
                }
                break;
        }
        var which = query.IncludeGaps ? $"(v.uid = '' OR ({matching}))" : $"v.uid <> '' AND {matching}";
        command.CommandText = $"""
            SELECT {StoredColumns.SelectSummary} FROM versions v {StoredColumns.JoinAttribution}
            WHERE v.observed_at >= @since AND v.observed_at < @until AND {which}{window}
            ORDER BY {order} LIMIT @limit
            """;
        Add(command, "@since", query.Since.ToUnixTimeMilliseconds());
        Add(command, "@until", query.Until?.ToUnixTimeMilliseconds() ?? long.MaxValue);
        Add(command, "@limit", query.Limit);
        var rows = await ReadVersionsAsync(command, cancellationToken).ConfigureAwait(false);
        if (query.Order == ChangeOrder.NewestFirst) rows.Reverse();
        return rows;
    }

    /// <summary>The newest row's <see cref="StoredVersion.Seq"/>; 0 for an empty store.</summary>
    public static async Task<long> LastSeqAsync(DbCommand command, CancellationToken cancellationToken)
    {
        command.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM versions";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The objects of one resource whose newest version is not a deletion: what a complete LIST should still hold.</summary>
    public static async Task<List<LiveObject>> LiveObjectsAsync(DbCommand command, string group, string resource, IReadOnlySet<string>? except, CancellationToken cancellationToken)
    {
        command.CommandText = """
            SELECT v.uid, v.namespace, v.name, v.resource_version FROM versions v
            JOIN (SELECT uid, MAX(number) AS number FROM versions WHERE api_group = @group AND resource = @resource GROUP BY uid) newest
              ON newest.uid = v.uid AND newest.number = v.number
            WHERE v.change <> 'Deleted'
            """;
        Add(command, "@group", group);
        Add(command, "@resource", resource);
        List<LiveObject> found = [];
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (except is not null && except.Contains(reader.GetString(0))) continue;
            var ns = reader.GetString(1);
            found.Add(new LiveObject(reader.GetString(0), ns.Length == 0 ? null : ns, reader.GetString(2), reader.GetString(3)));
        }
        return found;
    }

    /// <summary>The newest stored version of each of these objects (none for an object never stored): one statement for a batch of them.</summary>
    public static async Task<List<LatestVersion>> LatestAsync(DbCommand command, IReadOnlyCollection<string> uids, string uidCondition, Func<IReadOnlyCollection<string>, object> uidsValue,
        CancellationToken cancellationToken)
    {
        command.CommandText = $"""
            SELECT v.uid, v.resource_version, v.change FROM versions v
            WHERE {uidCondition} AND v.number = (SELECT MAX(n.number) FROM versions n WHERE n.uid = v.uid)
            """;
        Add(command, "@uids", uidsValue(uids));
        List<LatestVersion> found = [];
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found.Add(new LatestVersion(reader.GetString(0), reader.GetString(1), reader.GetString(2) == nameof(Recording.ChangeKind.Deleted)));
        }
        return found;
    }

    /// <summary>
    /// Retention's first step: for each object that is about to lose older versions, its first version that
    /// stays, when that one has no whole copy — the copy must be written before the versions it builds on go.
    /// </summary>
    public static async Task<List<(string Uid, long Number)>> RebaseCandidatesAsync(DbCommand command, int maxVersions, DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        command.CommandText = """
            WITH ranked AS (SELECT uid, number, observed_at, ROW_NUMBER() OVER (PARTITION BY uid ORDER BY number DESC) AS newest FROM versions WHERE uid <> ''),
                 first_kept AS (SELECT uid, MIN(number) AS number FROM ranked WHERE newest <= @max AND observed_at >= @before GROUP BY uid)
            SELECT f.uid, f.number FROM first_kept f JOIN versions v ON v.uid = f.uid AND v.number = f.number
            WHERE v.snapshot IS NULL AND EXISTS (SELECT 1 FROM versions o WHERE o.uid = f.uid AND o.number < f.number)
            """;
        Add(command, "@max", maxVersions);
        Add(command, "@before", olderThan.ToUnixTimeMilliseconds());
        List<(string, long)> found = [];
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) found.Add((reader.GetString(0), reader.GetInt64(1)));
        return found;
    }

    public static Task SetSnapshotAsync(DbCommand command, string uid, long number, string snapshot, CancellationToken cancellationToken)
    {
        command.CommandText = "UPDATE versions SET snapshot = @snapshot WHERE uid = @uid AND number = @number";
        Add(command, "@snapshot", snapshot);
        Add(command, "@uid", uid);
        Add(command, "@number", number);
        return command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Stores who made versions; an attribution already stored for the same version is kept (idempotent).</summary>
    public static async Task<int> AttributeAsync(DbCommand command, IReadOnlyList<Attribution> attributions, CancellationToken cancellationToken)
    {
        command.CommandText = """
            INSERT INTO attributions (uid, resource_version, username, user_agent, verb, at) VALUES (@uid, @rv, @user, @agent, @verb, @at)
            ON CONFLICT (uid, resource_version) DO NOTHING
            """;
        var parameters = AttributionParameters.Select(name =>
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            command.Parameters.Add(p);
            return p;
        }).ToArray();
        var stored = 0;
        foreach (var a in attributions)
        {
            object?[] values = [a.Uid, a.ResourceVersion, a.User, a.UserAgent, a.Verb, a.At.ToUnixTimeMilliseconds()];
            for (var i = 0; i < values.Length; i++) parameters[i].Value = values[i] ?? DBNull.Value;
            stored += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        return stored;
    }

    public static string UidsJson(IReadOnlyCollection<string> uids) => JsonSerializer.Serialize(uids, HistoryJson.Default.IReadOnlyCollectionString);

    private static void Filter(DbCommand command, List<string> filters, string sql, string name, object value)
    {
        filters.Add(sql);
        Add(command, name, value);
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }

    private static async Task<List<StoredVersion>> ReadVersionsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        List<StoredVersion> found = [];
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) found.Add(StoredColumns.Read(reader));
        return found;
    }
}
