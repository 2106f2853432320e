using KubeDiscovery.Graph;

namespace KubeDiscovery.Security;

/// <summary>Source-generated log messages of authentication and authorization.</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(LogEvents.TrustLoaded, LogLevel.Information, "Trusting client certificates from {ClientCa} and front-proxy certificates from {RequestHeader}")]
    public static partial void TrustLoaded(ILogger logger, string clientCa, string requestHeader);

    [LoggerMessage(LogEvents.ConfigMapMissing, LogLevel.Warning, "ConfigMap kube-system/extension-apiserver-authentication does not exist: client certificates and the front proxy are not trusted until it does")]
    public static partial void ConfigMapMissing(ILogger logger);

    [LoggerMessage(LogEvents.ConfigMapUnreadable, LogLevel.Warning, "Ignoring an unreadable kube-system/extension-apiserver-authentication (keeping the last good one): {Error}")]
    public static partial void ConfigMapUnreadable(ILogger logger, string error);

    [LoggerMessage(LogEvents.ConfigMapWatchFailed, LogLevel.Warning, "Watching kube-system/extension-apiserver-authentication failed (retry in {Delay:0.##}s): {Error}")]
    public static partial void ConfigMapWatchFailed(ILogger logger, double delay, string error);

    [LoggerMessage(LogEvents.NoDelegation, LogLevel.Warning, "No cluster to delegate to: every request is allowed, and a bearer token (no one can review it) is ignored, so a kubeconfig with a token works as any other. Fine for a snapshot on your own machine; pass --authentication-kubeconfig and --authorization-kubeconfig to check with a cluster")]
    public static partial void NoDelegation(ILogger logger);

    [LoggerMessage(LogEvents.Unauthenticated, LogLevel.Debug, "Unauthenticated {Method} {Path}: {Errors}")]
    public static partial void Unauthenticated(ILogger logger, string method, string path, string errors);

    [LoggerMessage(LogEvents.Forbidden, LogLevel.Debug, "Forbidden {Method} {Path} for {User}: {Reason}")]
    public static partial void Forbidden(ILogger logger, string method, string path, string user, string reason);

    [LoggerMessage(LogEvents.CaFileReloadFailed, LogLevel.Warning, "Keeping the current CA bundle: its file changed but cannot be read: {Error}")]
    public static partial void CaFileReloadFailed(ILogger logger, string error);

    [LoggerMessage(LogEvents.ReviewFailed, LogLevel.Warning, "{Review} failed (attempt {Attempt}): {Error}")]
    public static partial void ReviewFailed(ILogger logger, string review, int attempt, string error);
}
