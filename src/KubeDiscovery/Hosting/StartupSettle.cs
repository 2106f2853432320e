using System.Diagnostics;

namespace KubeDiscovery.Hosting;

/// <summary>
/// Gives back what the start-up burst grew. The first LIST of every kind, and with history its first
/// recording, allocates page-sized buffers in bulk, on the large-object heap, which the collector keeps
/// committed afterwards: at 40k objects it held 147 MiB of large-object heap, 62 MiB of it free, long
/// after the lists ended. Once the index has synced and the recorder has written what the lists gave it,
/// one compacting, decommitting collection returns that to the system. Once per process: what follows
/// (watch events, answers) allocates in small steps the collector keeps in check on its own. Never before
/// the port is open: a snapshot is loaded before the host starts, and a collection that stops every thread
/// would only delay the start it follows.
/// </summary>
/// <param name="synced">Completes when the index first holds the whole cluster.</param>
internal sealed class StartupSettle(Func<Task> synced, HistoryService? history, IHostApplicationLifetime lifetime, ILogger<StartupSettle> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Started(lifetime).WaitAsync(stoppingToken).ConfigureAwait(false);
        await synced().WaitAsync(stoppingToken).ConfigureAwait(false);
        // Only the burst's end matters here: a store that is away stops this wait, and nothing is lost by that.
        if (history is not null) await history.Recorder.FlushAsync(stoppingToken).ConfigureAwait(false);
        // The resident set, not the collector's own figures: those describe the last collection, and a small
        // start (the demo) has had none, though its first allocations hold 14 MiB this gives back.
        var before = Environment.WorkingSet;
        var clock = Stopwatch.StartNew();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var pause = clock.ElapsedMilliseconds;
        ServerLog.Settled(logger, Math.Max(0, before - Environment.WorkingSet) >> 20, GC.GetGCMemoryInfo().TotalCommittedBytes >> 20, pause);
    }

    private static Task Started(IHostApplicationLifetime lifetime)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task;
    }
}
