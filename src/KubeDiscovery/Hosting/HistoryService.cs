using KubeDiscovery.History.Audit;
using KubeDiscovery.History.Recording;
using KubeDiscovery.History.Storage;

namespace KubeDiscovery.Hosting;

/// <summary>
/// The history of one server: its store, the recorder the sources feed, and the options it runs under.
/// Opened before the source (a snapshot is recorded as it loads). A SQLite file that cannot be opened is
/// a start-up error; a PostgreSQL that does not answer is not — the store opens in the background, and
/// until it does, history requests answer 503 while compositions are served as ever.
/// </summary>
internal sealed class HistoryService : IAsyncDisposable
{
    private HistoryService(HistoryOptions options, IHistoryStore store, HistoryRecorder recorder, TimeProvider time)
    {
        Options = options;
        Store = store;
        Recorder = recorder;
        Time = time;
        Feed = new HistoryFeed(recorder, options);
    }

    public HistoryOptions Options { get; }

    public IHistoryStore Store { get; }

    public HistoryRecorder Recorder { get; }

    public HistoryFeed Feed { get; }

    public TimeProvider Time { get; }

    /// <summary>Where failures to open the store are told, once the host has a logger.</summary>
    public ILogger? Logger { get; set; }

    public bool StoreOpen => Store is not OpeningHistoryStore opening || opening.IsOpen;

    public string Description => Options.IsPostgres ? "PostgreSQL" : $"SQLite {Options.Database}";

    /// <exception cref="ServerStartupException">The SQLite file cannot be opened, or the audit log cannot be read.</exception>
    public static async Task<HistoryService?> OpenAsync(HistoryOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (options.Database is not { } database) return null;
        if (options.ImportAuditLog is { } log && !File.Exists(log)) throw new ServerStartupException($"cannot read --import-audit-log {log}: no such file");
        IHistoryStore store;
        HistoryService? service = null;
        if (options.IsPostgres)
        {
            PostgresConnection.TryNormalize(database, out var connection);
            store = new OpeningHistoryStore(
                async ct => await PostgresHistoryStore.OpenAsync(connection, time, ct).ConfigureAwait(false),
                time, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30),
                e => { if (service?.Logger is { } logger) HistoryLog.Unreachable(logger, e.Message); });
        }
        else
        {
            try
            {
                var directory = Path.GetDirectoryName(Path.GetFullPath(database));
                if (directory is not null) Directory.CreateDirectory(directory);
                store = await SqliteHistoryStore.OpenAsync(database, time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
            {
                throw new ServerStartupException($"cannot open --history-db {database}: {e.Message}", e);
            }
        }
        service = new HistoryService(options, store, new HistoryRecorder(store, new RecorderOptions(), time), time);
        return service;
    }

    /// <summary>Reads <c>--import-audit-log</c> into the store (once it is open).</summary>
    public async Task<(int Attributions, int Stored, IReadOnlyList<string> Problems)> ImportAuditLogAsync(string path, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(path);
        var (found, problems) = await AuditEvents.ReadLogAsync(reader, cancellationToken).ConfigureAwait(false);
        var stored = found.Count == 0 ? 0 : await Store.AttributeAsync(found, cancellationToken).ConfigureAwait(false);
        return (found.Count, stored, problems);
    }

    /// <summary>Writes what the recorder holds, then closes the store.</summary>
    public async ValueTask DisposeAsync()
    {
        await Recorder.DisposeAsync().ConfigureAwait(false);
        if (Recorder.Lost > 0 && Logger is { } logger) HistoryLog.Lost(logger, Recorder.Lost);
        await Store.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>
/// History's upkeep for the server's lifetime: imports <c>--import-audit-log</c> once the store is open,
/// applies retention at start and then every <see cref="HistoryOptions.RetentionInterval"/>, and at stop
/// (after the sources have stopped) writes what is queued and closes the store.
/// </summary>
internal sealed class HistoryMaintenance(HistoryService history, ILogger<HistoryMaintenance> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        history.Logger = logger;
        if (history.Store is OpeningHistoryStore opening) await opening.Opened.WaitAsync(stoppingToken).ConfigureAwait(false);
        if (stoppingToken.IsCancellationRequested) return;
        HistoryLog.Opened(logger, history.Description, history.Store.SchemaVersion);
        if (history.Options.ImportAuditLog is { } log)
        {
            try
            {
                var (found, stored, problems) = await history.ImportAuditLogAsync(log, stoppingToken).ConfigureAwait(false);
                HistoryLog.AuditImported(logger, log, found, stored, problems.Count, problems.Count > 0 ? problems[0] : "");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Data.Common.DbException)
            {
                HistoryLog.AuditImported(logger, log, 0, 0, 1, e.Message);
            }
        }

        using var timer = new PeriodicTimer(history.Options.RetentionInterval, history.Time);
        do
        {
            try
            {
                var dropped = await Retention.ApplyAsync(history.Store, history.Options.MaxVersions, history.Time.GetUtcNow() - history.Options.MaxAge, stoppingToken).ConfigureAwait(false);
                if (dropped > 0) HistoryLog.Pruned(logger, dropped);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or HistoryUnavailableException or IOException or TimeoutException or InvalidOperationException)
            {
                HistoryLog.RetentionFailed(logger, e.Message); // tried again at the next tick
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await history.DisposeAsync().ConfigureAwait(false);
    }
}

internal static partial class HistoryLog
{
    [LoggerMessage(Graph.LogEvents.HistoryOpened, LogLevel.Information, "Recording history into {Store} (schema {Schema})")]
    public static partial void Opened(ILogger logger, string store, int schema);

    [LoggerMessage(Graph.LogEvents.HistoryUnreachable, LogLevel.Warning, "History database not reachable, retrying: {Error}")]
    public static partial void Unreachable(ILogger logger, string error);

    [LoggerMessage(Graph.LogEvents.HistoryPruned, LogLevel.Information, "History retention dropped {Count} versions")]
    public static partial void Pruned(ILogger logger, int count);

    [LoggerMessage(Graph.LogEvents.HistoryRetentionFailed, LogLevel.Warning, "History retention failed, retried at the next interval: {Error}")]
    public static partial void RetentionFailed(ILogger logger, string error);

    [LoggerMessage(Graph.LogEvents.AuditImported, LogLevel.Information, "Imported audit log {File}: {Found} writes attributed, {Stored} new; {Problems} lines skipped {FirstProblem}")]
    public static partial void AuditImported(ILogger logger, string file, int found, int stored, int problems, string firstProblem);

    [LoggerMessage(Graph.LogEvents.HistoryLost, LogLevel.Error, "Stopped while the history database was away: {Count} observed changes were not recorded")]
    public static partial void Lost(ILogger logger, long count);
}
