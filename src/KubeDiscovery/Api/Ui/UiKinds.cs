using KubeDiscovery.Graph;

namespace KubeDiscovery.Api.Ui;

/// <summary>
/// <c>GET …/v1/ui/kinds.json</c>: the kinds this server follows, with the names kubectl knows them by
/// (plural, singular, short names), so the web view names an object's kind the same way on every page and
/// opens a URL in the API's own path form (<c>#/namespaces/shop/deployments/frontend</c>). What discovery
/// tells every authenticated user anyway; never which objects exist.
/// </summary>
internal static class UiKinds
{
    public const string File = "kinds.json";

    public static Task WriteAsync(HttpContext context)
    {
        var catalog = context.RequestServices.GetRequiredService<ClusterCache>().Catalog;
        context.Response.Headers.CacheControl = "no-cache, private";
        return JsonAnswers.WriteAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("kinds");
            foreach (var type in catalog.Types)
            {
                if (type.Verbs.Count > 0 && !type.Verbs.Contains("list")) continue;
                w.WriteStartObject();
                w.WriteString("group", type.Group);
                w.WriteString("kind", type.Kind);
                w.WriteString("resource", type.Plural);
                w.WriteString("singular", type.SingularOrKind);
                w.WriteStartArray("shortNames");
                foreach (var name in type.ShortNames) w.WriteStringValue(name);
                w.WriteEndArray();
                w.WriteBoolean("namespaced", type.Namespaced);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
