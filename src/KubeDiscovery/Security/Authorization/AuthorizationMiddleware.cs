using KubeDiscovery.Api;
using KubeDiscovery.Graph;

namespace KubeDiscovery.Security.Authorization;

/// <summary>
/// Authorizes every request before it is answered, as kube-apiserver's WithAuthorization filter:
/// a denial (or no opinion) is a 403 <c>Status</c> in kube-apiserver's words; a review that cannot be
/// answered throws, and <see cref="Api.KubernetesErrorsMiddleware"/> answers 500. kube-apiserver already checked the same attributes before proxying; checking again
/// keeps a caller who reaches the Service directly from skipping RBAC.
/// </summary>
internal sealed class AuthorizationMiddleware(RequestDelegate next, AccessControl security, ClusterCache cache, ILogger<AuthorizationMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var authorizer = security.Authorizer;
        var user = context.GetKubernetesUser();
        if (authorizer.AllowsEverything(user))
        {
            await next(context);
            return;
        }

        var attributes = RequestAttributes.Of(context, cache.Catalog);
        var decision = await authorizer.AuthorizeAsync(user, attributes, context.RequestAborted);
        if (decision.IsAllowed)
        {
            await next(context);
            return;
        }
        if (logger.IsEnabled(LogLevel.Debug)) SecurityLog.Forbidden(logger, context.Request.Method, context.Request.Path, user.Name, decision.Reason);
        await StatusErrors.Forbidden(context, attributes, user.Name, decision.Reason);
    }
}
