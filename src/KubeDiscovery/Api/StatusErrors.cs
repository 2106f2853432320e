using System.Text.Json;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Security.Authorization;

namespace KubeDiscovery.Api;

/// <summary>Writes <c>metav1.Status</c> errors with kube-apiserver's reasons and messages.</summary>
internal static class StatusErrors
{
    public static Task BadRequest(HttpContext context, string message) =>
        Write(context, new KubeStatus { Code = 400, Reason = "BadRequest", Message = message });

    /// <param name="hint">What to add after kube-apiserver's message (which names exist), or null.</param>
    public static Task NotFound(HttpContext context, GroupResource resource, string name, string? hint = null) =>
        Write(context, new KubeStatus
        {
            Code = 404,
            Reason = "NotFound",
            Message = $"{resource} \"{name}\" not found{hint}",
            Details = new StatusDetails { Name = name, Group = resource.Group, Kind = resource.Resource },
        });

    public static Task UnknownResource(HttpContext context, string resource) =>
        Write(context, new KubeStatus
        {
            Code = 404,
            Reason = "NotFound",
            Message = $"the server doesn't have a resource type \"{resource}\"",
            Details = new StatusDetails { Kind = resource },
        });

    public static Task Unauthorized(HttpContext context) =>
        Write(context, new KubeStatus { Code = 401, Reason = "Unauthorized", Message = "Unauthorized" });

    /// <summary>kube-apiserver's 403 (responsewriters.Forbidden and apierrors.NewForbidden), word for word.</summary>
    public static Task Forbidden(HttpContext context, RequestAttributes attributes, string user, string reason)
    {
        var message = Sanitize(attributes.ForbiddenMessage(user));
        if (reason.Length > 0) message = $"{message}: {reason}";
        var resource = attributes.ApiGroup.Length == 0 ? attributes.Resource : $"{attributes.Resource}.{attributes.ApiGroup}";
        message = resource.Length == 0 ? $"forbidden: {message}"
            : attributes.Name.Length == 0 ? $"{resource} is forbidden: {message}"
            : $"{resource} \"{attributes.Name}\" is forbidden: {message}";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return Write(context, new KubeStatus
        {
            Code = 403,
            Reason = "Forbidden",
            Message = message,
            Details = resource.Length == 0 ? null : new StatusDetails
            {
                Name = attributes.Name.Length == 0 ? null : attributes.Name,
                Group = attributes.ApiGroup.Length == 0 ? null : attributes.ApiGroup,
                Kind = attributes.Resource,
            },
        });
    }

    // kube-apiserver escapes these in the message, in case a client renders it as HTML.
    private static string Sanitize(string message) =>
        message.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    public static Task PathNotFound(HttpContext context) =>
        Write(context, new KubeStatus
        {
            Code = 404,
            Reason = "NotFound",
            Message = $"the server could not find the requested resource (path {context.Request.Path})",
        });

    public static Task MethodNotAllowed(HttpContext context)
    {
        context.Response.Headers.Allow = "GET";
        return Write(context, new KubeStatus
        {
            Code = 405,
            Reason = "MethodNotAllowed",
            Message = $"the server does not allow this method on the requested resource: {context.Request.Method} is not supported, only GET",
        });
    }

    public static Task NotAcceptable(HttpContext context, string mediaType) =>
        Write(context, new KubeStatus
        {
            Code = 406,
            Reason = "NotAcceptable",
            Message = $"only the following media types are accepted: {mediaType}",
        });

    // kubectl (client-go) retries a 503 carrying Retry-After up to ten times, so a query made during the
    // first sync is answered once the sync completes, instead of failing.
    public static Task NotSynced(HttpContext context) =>
        ServiceUnavailable(context, "the object index has not synced with the cluster yet", retryAfterSeconds: 1);

    public static Task ServiceUnavailable(HttpContext context, string message, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Write(context, new KubeStatus
        {
            Code = 503,
            Reason = "ServiceUnavailable",
            Message = message,
            Details = new StatusDetails { RetryAfterSeconds = retryAfterSeconds },
        });
    }

    public static Task InternalError(HttpContext context, string error) =>
        Write(context, new KubeStatus
        {
            Code = 500,
            Reason = "InternalError",
            Message = $"Internal error occurred: {error}",
            Details = new StatusDetails { Causes = [new StatusCause(error)] },
        });

    public static async Task Write(HttpContext context, KubeStatus status)
    {
        var response = context.Response;
        response.StatusCode = status.Code;
        response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(response.Body, status, ApiJsonContext.Relaxed.KubeStatus, context.RequestAborted);
    }
}
