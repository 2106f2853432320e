namespace KubeDiscovery.Api.OpenApi;

/// <summary>
/// <c>/openapi/v2</c>, <c>/openapi/v3</c> and <c>/openapi/v3/apis/kubediscovery.io/v1</c>, with ETags and
/// <c>304</c> on <c>If-None-Match</c> as kube-apiserver serves them; a v3 document asked for by its
/// <c>?hash=</c> may be cached for good, since a new version has a new hash.
/// </summary>
internal static class OpenApiEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/openapi/v2", context => Serve(context, Docs(context).V2, immutable: false));
        routes.MapGet("/openapi/v3", context => Serve(context, Docs(context).V3Index, immutable: false));
        routes.MapGet("/openapi/v3/" + OpenApiDocuments.V3Path, context =>
        {
            var doc = Docs(context).V3;
            return Serve(context, doc, immutable: context.Request.Query["hash"] == doc.Hash);
        });
    }

    private static OpenApiDocuments Docs(HttpContext context) => context.RequestServices.GetRequiredService<OpenApiDocuments>();

    private static async Task Serve(HttpContext context, OpenApiDocuments.Document doc, bool immutable)
    {
        // kube-apiserver also serves protobuf; the aggregator and kubectl take JSON when that is all there is.
        if (!AcceptHeader.Allows(context.Request, "application/json"))
        {
            await StatusErrors.NotAcceptable(context, "application/json");
            return;
        }
        var response = context.Response;
        response.Headers.ETag = doc.ETag;
        response.Headers.Vary = "Accept";
        response.Headers.CacheControl = immutable ? "public, immutable" : "no-cache, private";
        if (context.Request.Headers.IfNoneMatch.Any(v => v == doc.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        response.ContentType = "application/json";
        await response.Body.WriteAsync(doc.Bytes, context.RequestAborted);
    }
}
