using KubeDiscovery.Security;
using Microsoft.Net.Http.Headers;

namespace KubeDiscovery.Api.Ui;

/// <summary>
/// <c>GET …/v1/ui/</c>: the web view, one page and its scripts, reached through <c>kubectl proxy</c> with
/// the user's own credentials (kube-apiserver authenticates, this server authorizes and filters every
/// answer the page asks for, as for kubectl). Authorized as <c>list</c> (the page) and <c>get</c> (its
/// files) on the resource <c>ui</c>, as kube-apiserver's RequestInfo reads these paths. Every URL the page
/// uses is relative, so it works under any proxy's path prefix; nothing comes from another origin.
/// </summary>
internal static class UiEndpoints
{
    public const string Resource = "ui";

    /// <summary>
    /// Scripts and styles only from this server, no inline script or style, no plugins, no framing; the
    /// layout runs in a worker from this server; API calls go to this server alone.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; worker-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static void Map(IEndpointRouteBuilder routes)
    {
        // One route: routing does not tell …/ui from …/ui/, and the page must be served at the latter so
        // that its relative URLs resolve under it.
        routes.MapGet($"{KubeDiscoveryApi.Prefix}/{Resource}/{{file?}}", context =>
        {
            if (context.Request.RouteValues["file"] is string file) return file == UiKinds.File ? UiKinds.WriteAsync(context) : Serve(context, file);
            if (context.Request.Path.Value!.EndsWith('/')) return Serve(context, UiAssets.IndexFile);
            // Relative, so it lands right behind any proxy's path prefix: …/v1/ui → …/v1/ui/.
            context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
            context.Response.Headers.Location = $"{Resource}/{context.Request.QueryString}";
            return Task.CompletedTask;
        });
    }

    private static Task Serve(HttpContext context, string name)
    {
        var asset = context.RequestServices.GetRequiredService<UiAssets>().Find(name);
        if (asset is null) return StatusErrors.PathNotFound(context);

        var response = context.Response;
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        // private: the answer went through authorization, and shared caches must not hand it to others.
        // Through kube-apiserver's aggregator, it adds "no-cache, private" itself before proxying: sending
        // it again would repeat the header (the immutable files keep theirs, which then has to compete).
        if (asset.Immutable) headers.CacheControl = "private, max-age=31536000, immutable";
        else if (!context.CameThroughFrontProxy()) headers.CacheControl = "no-cache, private";
        headers.Vary = HeaderNames.AcceptEncoding;

        var gzip = asset.Gzipped is not null && AcceptsGzip(context.Request);
        var etag = gzip ? asset.GzippedETag : asset.ETag;
        headers.ETag = etag;
        if (context.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag || t.Trim() == "*")))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        response.ContentType = asset.ContentType;
        var body = gzip ? asset.Gzipped! : asset.Content;
        if (gzip) headers.ContentEncoding = "gzip";
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static bool AcceptsGzip(HttpRequest request) =>
        request.GetTypedHeaders().AcceptEncoding.Any(e => e.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) && (e.Quality ?? 1) > 0);
}
