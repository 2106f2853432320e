using KubeDiscovery.Security.Authentication;

namespace KubeDiscovery.Security;

/// <summary>The authenticated user of a request, set by <see cref="AuthenticationMiddleware"/>.</summary>
internal static class RequestUser
{
    public static UserInfo GetKubernetesUser(this HttpContext context) =>
        context.Features.Get<Holder>()?.User ?? throw new InvalidOperationException("the request was not authenticated");

    /// <summary>The user, or null before authentication (for logs).</summary>
    public static UserInfo? FindKubernetesUser(this HttpContext context) => context.Features.Get<Holder>()?.User;

    public static void SetKubernetesUser(this HttpContext context, UserInfo user, bool viaFrontProxy = false) =>
        context.Features.Set(new Holder(user, viaFrontProxy));

    /// <summary>
    /// Whether kube-apiserver's aggregator (its front proxy) forwarded the request: it then adds headers of its
    /// own to the answer (<c>Cache-Control: no-cache, private</c>), which an answer must not send again.
    /// </summary>
    public static bool CameThroughFrontProxy(this HttpContext context) => context.Features.Get<Holder>()?.ViaFrontProxy ?? false;

    private sealed record Holder(UserInfo User, bool ViaFrontProxy);
}
