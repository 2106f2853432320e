using Microsoft.AspNetCore.Routing.Patterns;

namespace KubeDiscovery.Api;

/// <summary>
/// ASP.NET Core matches the literal segments of a route ignoring case; kube-apiserver does not
/// (<c>/APIS/…</c> is a 404 there). Authorization reads the path as written, so a route matched
/// case-insensitively would answer for a path other than the one authorized. This runs after routing
/// and answers 404 when a literal segment differs from the path by case.
/// </summary>
internal static class CaseSensitiveRoutes
{
    public static Task Check(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint() is not RouteEndpoint endpoint || LiteralsMatch(endpoint.RoutePattern, context.Request.Path.Value ?? "")) return next(context);
        return StatusErrors.PathNotFound(context);
    }

    private static bool LiteralsMatch(RoutePattern pattern, string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < pattern.PathSegments.Count && i < segments.Length; i++)
        {
            var parts = pattern.PathSegments[i].Parts;
            if (parts.Count != 1 || parts[0] is not RoutePatternLiteralPart literal) continue;
            if (!string.Equals(literal.Content, segments[i], StringComparison.Ordinal)) return false;
        }
        return true;
    }
}
