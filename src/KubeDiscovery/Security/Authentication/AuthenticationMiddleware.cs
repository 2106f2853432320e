using KubeDiscovery.Api;

namespace KubeDiscovery.Security.Authentication;

/// <summary>
/// kube-apiserver's delegated authenticator chain: front proxy, then client certificate, then bearer
/// token; the first success wins. A credential that fails with none succeeding is a 401; no credential
/// at all is <c>system:anonymous</c>. Identity headers are stripped from every request, whether or not
/// the front proxy vouched for them, and the bearer token after use.
/// </summary>
/// <remarks>
/// Hand-written rather than built on ASP.NET Core authentication handlers: the chain's order, its
/// no-opinion/error semantics and the header rules are Kubernetes', and they read more plainly here.
/// </remarks>
internal sealed class AuthenticationMiddleware(RequestDelegate next, AccessControl security, ILogger<AuthenticationMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var certificate = context.Connection.ClientCertificate;
        var intermediates = PeerCertificates.Of(certificate);
        var material = security.Trust.Current;
        var tokens = security.Tokens;
        List<string>? errors = null;
        UserInfo? user = null;

        if (material.RequestHeader is { } requestHeader)
        {
            user = Take(FrontProxyAuthenticator.Authenticate(requestHeader, request.Headers, certificate, intermediates), ref errors);
        }
        var viaFrontProxy = user is not null;
        FrontProxyAuthenticator.Strip(request.Headers, material.RequestHeader);

        if (user is null && material.ClientCa is { } clientCa)
        {
            user = Take(ClientCertificateAuthenticator.Authenticate(clientCa, certificate, intermediates), ref errors);
        }

        if (user is null && tokens is not null && TokenReviewAuthenticator.ReadBearer(request.Headers.Authorization) is { } token)
        {
            user = Take(await tokens.AuthenticateAsync(token, context.RequestAborted), ref errors);
        }
        request.Headers.Remove("Authorization");

        if (user is null && errors is not null)
        {
            if (logger.IsEnabled(LogLevel.Debug)) SecurityLog.Unauthenticated(logger, request.Method, request.Path, string.Join("; ", errors));
            await StatusErrors.Unauthorized(context);
            return;
        }

        context.SetKubernetesUser(user?.WithAuthenticatedGroup() ?? UserInfo.Anonymous, viaFrontProxy);
        await next(context);
    }

    private static UserInfo? Take(AuthenticationResult result, ref List<string>? errors)
    {
        if (result.Error is { } error) (errors ??= []).Add(error);
        return result.User;
    }
}
