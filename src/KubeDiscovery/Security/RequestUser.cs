using KubeDiscovery.Security.Authentication;

namespace KubeDiscovery.Security;

/// <summary>The authenticated user of a request, set by <see cref="AuthenticationMiddleware"/>.</summary>
internal static class RequestUser
{
    public static UserInfo GetKubernetesUser(this HttpContext context) =>
        context.Features.Get<Holder>()?.User ?? throw new InvalidOperationException("the request was not authenticated");

    /// <summary>The user, or null before authentication (for logs).</summary>
    public static UserInfo? FindKubernetesUser(this HttpContext context) => context.Features.Get<Holder>()?.User;

    public static void SetKubernetesUser(this HttpContext context, UserInfo user) => context.Features.Set(new Holder(user));

    private sealed record Holder(UserInfo User);
}
