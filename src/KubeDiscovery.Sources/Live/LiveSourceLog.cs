using Microsoft.Extensions.Logging;

namespace KubeDiscovery.Sources.Live;

/// <summary>Source-generated log messages of the live source (watch events are a hot path).</summary>
internal static partial class LiveSourceLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Listed {Resource}: {Count} objects at resourceVersion {ResourceVersion}")]
    public static partial void Listed(ILogger logger, string resource, int count, string resourceVersion);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Re-listing {Resource}: {Reason}")]
    public static partial void Relisting(ILogger logger, string resource, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Watch of {Resource} failed ({Failures} in a row), retrying in {DelaySeconds:0.##}s: {Reason}")]
    public static partial void WatchFailed(ILogger logger, string resource, int failures, double delaySeconds, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Watch of {Resource} recovered after {Failures} failures")]
    public static partial void Recovered(ILogger logger, string resource, int failures);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Skipped an object of {Resource} the index cannot hold: {Reason}")]
    public static partial void UnreadableObject(ILogger logger, string resource, string reason);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "The cluster answers again: every waiting reflector retries now")]
    public static partial void ClusterReachable(ILogger logger);

    [LoggerMessage(EventId = 106, Level = LogLevel.Debug, Message = "Watch of {Resource} ended after {Events} events; resuming at resourceVersion {ResourceVersion}")]
    public static partial void WatchEnded(ILogger logger, string resource, int events, string resourceVersion);

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Following {Count} resources of {Cluster}")]
    public static partial void Following(ILogger logger, int count, string cluster);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "Started following {Resource}")]
    public static partial void Started(ILogger logger, string resource);

    [LoggerMessage(EventId = 112, Level = LogLevel.Information, Message = "Stopped following {Resource}: the cluster no longer serves it")]
    public static partial void Stopped(ILogger logger, string resource);

    [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "Discovery of {GroupVersion} failed, keeping what was known of it: {Reason}")]
    public static partial void GroupVersionFailed(ILogger logger, string groupVersion, string reason);

    [LoggerMessage(EventId = 114, Level = LogLevel.Warning, Message = "Re-discovery failed, keeping the current resources: {Reason}")]
    public static partial void RediscoveryFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 115, Level = LogLevel.Information, Message = "Index synced: {Count} objects in {Milliseconds} ms")]
    public static partial void Synced(ILogger logger, int count, long milliseconds);
}
