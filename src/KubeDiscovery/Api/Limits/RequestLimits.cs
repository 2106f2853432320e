using Microsoft.AspNetCore.Http.Features;

namespace KubeDiscovery.Api.Limits;

/// <summary>
/// The request-size limits, enforced here rather than by Kestrel: Kestrel's own 414/431 replies have
/// empty bodies, and kubectl then shows an unexplained error. Kestrel is given roomier limits
/// (<see cref="KestrelRequestLine"/>, <see cref="KestrelHeaders"/>) as a backstop, and this middleware
/// answers anything above the real ones with a <c>Status</c> saying what was too large.
/// </summary>
internal static class RequestLimits
{
    public const int RequestTarget = 8 * 1024;
    public const int Headers = 32 * 1024;
    public const int KestrelRequestLine = 64 * 1024;
    public const int KestrelHeaders = 128 * 1024;

    public static Task Check(HttpContext context, RequestDelegate next)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value + context.Request.QueryString.Value;
        if (target.Length > RequestTarget)
        {
            return StatusErrors.Write(context, new KubeStatus
            {
                Code = StatusCodes.Status414RequestUriTooLong,
                Reason = "RequestURITooLong",
                Message = $"the request path and query are {target.Length} bytes; the limit is {RequestTarget}",
            });
        }
        var headers = 0;
        foreach (var (name, values) in context.Request.Headers)
        {
            headers += name.Length;
            foreach (var value in values) headers += value?.Length ?? 0;
        }
        if (headers > Headers)
        {
            return StatusErrors.Write(context, new KubeStatus
            {
                Code = StatusCodes.Status431RequestHeaderFieldsTooLarge,
                Reason = "RequestHeaderFieldsTooLarge",
                Message = $"the request headers are {headers} bytes; the limit is {Headers}",
            });
        }
        return next(context);
    }
}
