using KubeDiscovery.Graph;

namespace KubeDiscovery.Hosting;

/// <summary>Source-generated log messages of the server.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(LogEvents.SourceLoaded, LogLevel.Information, "Loaded {Source}: {Objects} objects, {Resources} resource types")]
    public static partial void SourceLoaded(ILogger logger, string source, int objects, int resources);

    [LoggerMessage(LogEvents.Serving, LogLevel.Information, "Serving https://{Address}:{Port} (HTTP/1.1 and HTTP/2)")]
    public static partial void Serving(ILogger logger, string address, int port);

    [LoggerMessage(LogEvents.SelfSignedCertificate, LogLevel.Information, "No serving certificate given: generated a self-signed one for {Names}")]
    public static partial void SelfSignedCertificate(ILogger logger, string names);

    [LoggerMessage(LogEvents.UnhandledError, LogLevel.Error, "Unhandled error answering {Method} {Path}")]
    public static partial void UnhandledError(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(LogEvents.CertificateReloaded, LogLevel.Information, "Reloaded the serving certificate {File}, valid until {NotAfter:u}")]
    public static partial void CertificateReloaded(ILogger logger, string file, DateTime notAfter);

    [LoggerMessage(LogEvents.CertificateReloadFailed, LogLevel.Warning, "Keeping the current serving certificate: its files changed but cannot be loaded: {Error}")]
    public static partial void CertificateReloadFailed(ILogger logger, string error);

    [LoggerMessage(LogEvents.SnapshotSkipped, LogLevel.Warning, "Snapshot: {Warning}")]
    public static partial void SnapshotSkipped(ILogger logger, string warning);

    [LoggerMessage(LogEvents.SnapshotDuplicates, LogLevel.Information, "Snapshot: {Note}")]
    public static partial void SnapshotDuplicates(ILogger logger, string note);

    [LoggerMessage(LogEvents.LoopbackOnly, LogLevel.Information, "Serving {Address} only: a snapshot has no cluster to authenticate readers, so it is not offered to other hosts (--bind-address 0.0.0.0 to change that)")]
    public static partial void LoopbackOnly(ILogger logger, string address);

    [LoggerMessage(LogEvents.LocalKubeconfig, LogLevel.Information, "kubectl can reach this server with: export KUBECONFIG={Path}")]
    public static partial void LocalKubeconfig(ILogger logger, string path);

    [LoggerMessage(LogEvents.Settled, LogLevel.Information, "Start-up done: the collector gave back {ReleasedMiB} MiB of resident memory the first lists grew ({CommittedMiB} MiB committed now, {PauseMs} ms)")]
    public static partial void Settled(ILogger logger, long releasedMiB, long committedMiB, long pauseMs);

    [LoggerMessage(LogEvents.RuleRefused, LogLevel.Warning, "Relation rule refused: {Source}: {Error}")]
    public static partial void RuleRefused(ILogger logger, string source, string error);

    [LoggerMessage(LogEvents.Stopping, LogLevel.Information, "Stopping: /readyz fails from now on; requests are answered for {DelaySeconds}s more, then the port closes")]
    public static partial void Stopping(ILogger logger, double delaySeconds);

    [LoggerMessage(LogEvents.Answered, LogLevel.Debug, "{Method} {Path} answered {Status}")]
    public static partial void Answered(ILogger logger, string method, string path, int status);
}
