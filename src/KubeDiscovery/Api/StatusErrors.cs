using System.Text.Json;
using KubeDiscovery.Graph.Model;
using Microsoft.AspNetCore.Http;

namespace KubeDiscovery.Api;

/// <summary>Writes <c>metav1.Status</c> errors with kube-apiserver's reasons and messages.</summary>
internal static class StatusErrors
{
    public static Task BadRequest(HttpContext context, string message) =>
        Write(context, new KubeStatus { Code = 400, Reason = "BadRequest", Message = message });

    public static Task NotFound(HttpContext context, GroupResource resource, string name) =>
        Write(context, new KubeStatus
        {
            Code = 404,
            Reason = "NotFound",
            Message = $"{resource} \"{name}\" not found",
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

    private static async Task Write(HttpContext context, KubeStatus status)
    {
        var response = context.Response;
        response.StatusCode = status.Code;
        response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(response.Body, status, ApiJsonContext.Relaxed.KubeStatus, context.RequestAborted);
    }
}
