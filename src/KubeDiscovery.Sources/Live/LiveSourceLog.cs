using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Model;
using Microsoft.Extensions.Logging;

namespace KubeDiscovery.Sources.Live;

/// <summary>Source-generated log messages of the live source (watch events are a hot path).</summary>
internal static partial class LiveSourceLog
{
    [LoggerMessage(EventId = LogEvents.Listed, Level = LogLevel.Debug, Message = "Listed {Resource}: {Count} objects at resourceVersion {ResourceVersion}")]
    public static partial void Listed(ILogger logger, ResourceType resource, int count, string resourceVersion);

    [LoggerMessage(EventId = LogEvents.Relisting, Level = LogLevel.Information, Message = "Re-listing {Resource}: {Reason}")]
    public static partial void Relisting(ILogger logger, ResourceType resource, string reason);

    [LoggerMessage(EventId = LogEvents.WatchFailed, Level = LogLevel.Warning, Message = "Watch of {Resource} failed ({Failures} in a row), retrying in {DelaySeconds:0.##}s: {Reason}")]
    public static partial void WatchFailed(ILogger logger, ResourceType resource, int failures, double delaySeconds, string reason);

    [LoggerMessage(EventId = LogEvents.Recovered, Level = LogLevel.Information, Message = "Watch of {Resource} recovered after {Failures} failures")]
    public static partial void Recovered(ILogger logger, ResourceType resource, int failures);

    [LoggerMessage(EventId = LogEvents.UnreadableObject, Level = LogLevel.Warning, Message = "Skipped an object of {Resource} the index cannot hold: {Reason}")]
    public static partial void UnreadableObject(ILogger logger, ResourceType resource, string reason);

    [LoggerMessage(EventId = LogEvents.ClusterReachable, Level = LogLevel.Information, Message = "The cluster answers again: every waiting reflector retries now")]
    public static partial void ClusterReachable(ILogger logger);

    [LoggerMessage(EventId = LogEvents.WatchEnded, Level = LogLevel.Debug, Message = "Watch of {Resource} ended after {Events} events; resuming at resourceVersion {ResourceVersion}")]
    public static partial void WatchEnded(ILogger logger, ResourceType resource, int events, string resourceVersion);

    [LoggerMessage(EventId = LogEvents.Following, Level = LogLevel.Information, Message = "Following {Count} resources of {Cluster}")]
    public static partial void Following(ILogger logger, int count, string cluster);

    [LoggerMessage(EventId = LogEvents.Started, Level = LogLevel.Information, Message = "Started following {Resource}")]
    public static partial void Started(ILogger logger, ResourceType resource);

    [LoggerMessage(EventId = LogEvents.Stopped, Level = LogLevel.Information, Message = "Stopped following {Resource}: the cluster no longer serves it")]
    public static partial void Stopped(ILogger logger, ResourceType resource);

    [LoggerMessage(EventId = LogEvents.GroupVersionFailed, Level = LogLevel.Warning, Message = "Discovery of {GroupVersion} failed, keeping what was known of it: {Reason}")]
    public static partial void GroupVersionFailed(ILogger logger, string groupVersion, string reason);

    [LoggerMessage(EventId = LogEvents.RediscoveryFailed, Level = LogLevel.Warning, Message = "Re-discovery failed, keeping the current resources: {Reason}")]
    public static partial void RediscoveryFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = LogEvents.Synced, Level = LogLevel.Information, Message = "Index synced: {Count} objects in {Milliseconds} ms")]
    public static partial void Synced(ILogger logger, int count, long milliseconds);

    [LoggerMessage(EventId = LogEvents.WarningEventsFailed, Level = LogLevel.Warning, Message = "Following Warning Events failed (attempt {Failures}), retrying in {Seconds:0.##}s; causes go without them meanwhile: {Reason}")]
    public static partial void WarningEventsFailed(ILogger logger, int failures, double seconds, string reason);
}
