using System.CommandLine;
using KubeDiscovery.Cli;

namespace KubeDiscovery.Hosting;

/// <summary>
/// Whether and where history is recorded: <c>--history-db</c> (a SQLite file, or a PostgreSQL connection
/// string so several replicas share one history), retention, which resources, and an audit log to import.
/// </summary>
public sealed record HistoryOptions
{
    /// <summary>
    /// Excluded unless named in <c>--history-resources</c>: they change all the time without anyone changing
    /// them (leader election renewals, endpoint churn, events), and would crowd out every other version.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultExclusions =
        ["leases", "leases.coordination.k8s.io", "events", "events.events.k8s.io", "endpoints", "endpointslices", "endpointslices.discovery.k8s.io"];

    /// <summary>A SQLite file, or a PostgreSQL connection string (<c>Host=…</c> or <c>postgres://…</c>); null records no history.</summary>
    public string? Database { get; init; }

    public int MaxVersions { get; init; } = 100;

    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Resources to record; empty records every followed resource but <see cref="ExcludeResources"/>.</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];

    /// <summary>Resources never recorded; null keeps <see cref="DefaultExclusions"/> (none when <see cref="Resources"/> is given).</summary>
    public IReadOnlyList<string>? ExcludeResources { get; init; }

    /// <summary>A kube-apiserver audit log file (JSON lines) whose writes name who made recorded versions.</summary>
    public string? ImportAuditLog { get; init; }

    public bool Enabled => Database is not null;

    public bool IsPostgres => Database is { } db && (db.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || db.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || db.Contains("host=", StringComparison.OrdinalIgnoreCase));

    /// <summary>How often retention runs: often enough that the age limit is kept to within a tenth.</summary>
    public TimeSpan RetentionInterval => TimeSpan.FromTicks(Math.Clamp(MaxAge.Ticks / 10, TimeSpan.FromMinutes(1).Ticks, TimeSpan.FromHours(1).Ticks));

    public string? Validate()
    {
        if (Database is { Length: 0 }) return "--history-db needs a SQLite file or a PostgreSQL connection string";
        if (!Enabled && (ImportAuditLog is not null || Resources.Count > 0 || ExcludeResources is not null))
        {
            return "--history-resources, --history-exclude-resources and --import-audit-log need --history-db";
        }
        if (MaxVersions < 1) return "--history-max-versions must be at least 1";
        if (MaxAge < TimeSpan.FromMinutes(1)) return "--history-max-age must be at least 1m";
        if (IsPostgres && PostgresConnection.TryNormalize(Database!, out _) is { } error) return $"--history-db: {error}";
        var badName = Resources.Concat(ExcludeResources ?? []).FirstOrDefault(n => n.Length == 0 || n.Contains('/') || n.Any(char.IsWhiteSpace));
        return badName is null ? null : $"\"{badName}\" is not a resource name (plural or plural.group)";
    }

    internal sealed class Flags
    {
        private readonly Option<string?> _database = new("--history-db")
        {
            Description = "Record history into this SQLite file (created if missing), or into PostgreSQL given a connection string (Host=…;Database=… or postgres://user@host/db) so replicas share one history. Default: no history.",
        };

        private readonly Option<int> _maxVersions = new("--history-max-versions")
        {
            CustomParser = result => FlagParsing.ParseInt(result, "a number of versions"),
            DefaultValueFactory = _ => 100,
            Description = "Versions kept per object; older ones are dropped.",
        };

        private readonly Option<TimeSpan> _maxAge = new("--history-max-age")
        {
            CustomParser = FlagParsing.ParseDuration,
            Description = "Versions older than this are dropped (a Go duration; default 720h, 30 days).",
        };

        private readonly Option<string[]> _resources = FlagParsing.ListOption("--history-resources",
            "Record only these resources (plural or plural.group). Default: every followed resource except --history-exclude-resources.");

        private readonly Option<string[]> _exclude = FlagParsing.ListOption("--history-exclude-resources",
            $"Never record these resources. Default: {string.Join(", ", DefaultExclusions)}.");

        private readonly Option<string?> _importAuditLog = new("--import-audit-log")
        {
            Description = "Read a kube-apiserver audit log file (JSON lines, level RequestResponse for writes) at start, so recorded versions name the user who made them.",
        };

        public IEnumerable<Option> All => [_database, _maxVersions, _maxAge, _resources, _exclude, _importAuditLog];

        public HistoryOptions Read(ParseResult parsed) => new()
        {
            Database = parsed.GetValue(_database),
            MaxVersions = parsed.GetValue(_maxVersions),
            // No DefaultValueFactory: help would print it as .NET writes a TimeSpan (30.00:00:00), not as the flag takes it.
            MaxAge = parsed.GetResult(_maxAge) is null ? new HistoryOptions().MaxAge : parsed.GetValue(_maxAge),
            Resources = FlagParsing.ListOr(parsed, _resources, []),
            ExcludeResources = parsed.GetResult(_exclude) is null ? null : FlagParsing.ListOr(parsed, _exclude, []),
            ImportAuditLog = parsed.GetValue(_importAuditLog),
        };
    }
}
