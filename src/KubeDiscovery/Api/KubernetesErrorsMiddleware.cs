using KubeDiscovery.Hosting;
using KubeDiscovery.Security.Authorization;

namespace KubeDiscovery.Api;

/// <summary>
/// Makes every failure a Kubernetes <c>Status</c>: a SubjectAccessReview that cannot be answered, or any
/// unexpected exception, is a 500 with the error; only a failure after the answer has started aborts it.
/// </summary>
internal sealed class KubernetesErrorsMiddleware(RequestDelegate next, ILogger<KubernetesErrorsMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        using var scope = logger.BeginScope(new RequestLogScope(context));
        try
        {
            await next(context);
            if (logger.IsEnabled(LogLevel.Debug))
            {
                ServerLog.Answered(logger, context.Request.Method, context.Request.Path, context.Response.StatusCode);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (AuthorizationUnavailableException e) when (!context.Response.HasStarted)
        {
            // kube-apiserver's answer when its authorizer cannot decide; the review's own retries were logged.
            await StatusErrors.InternalError(context, e.Message);
        }
        catch (Exception e)
        {
            ServerLog.UnhandledError(logger, e, context.Request.Method, context.Request.Path);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await StatusErrors.InternalError(context, e.Message);
                return;
            }
            // Bytes of the answer are already on their way: a Status appended to half a body would read
            // as corrupt JSON. Reset the stream (HTTP/2) or close the connection, so the client sees a
            // failed request, never a truncated answer that looks whole.
            context.Abort();
        }
    }
}
