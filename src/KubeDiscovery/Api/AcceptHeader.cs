using Microsoft.Net.Http.Headers;

namespace KubeDiscovery.Api;

/// <summary>
/// Accept-header negotiation the way kube-apiserver does it: a media range with Kubernetes' <c>as=</c>
/// parameter asks for a different object shape (Table, discovery v2…) and only matches if we serve it;
/// plain ranges and wildcards match normally.
/// </summary>
internal static class AcceptHeader
{
    /// <summary>Whether the client accepts <paramref name="mediaType"/> (e.g. <c>application/json</c>).</summary>
    public static bool Allows(HttpRequest request, string mediaType)
    {
        var header = request.Headers.Accept;
        if (header.Count == 0) return true;
        // An Accept header that does not parse accepts nothing we can name: kube-apiserver answers 406.
        if (!MediaTypeHeaderValue.TryParseList(header, out var ranges)) return false;
        if (ranges.Count == 0) return true;

        var wanted = new MediaTypeHeaderValue(mediaType);
        foreach (var range in ranges)
        {
            if (HasParameter(range, "as")) continue;
            if (wanted.IsSubsetOf(range)) return true;
        }
        return false;
    }

    /// <summary>Whether the client asks for a <c>meta.k8s.io</c> Table (v1 or v1beta1), as <c>kubectl get</c> does.</summary>
    public static bool WantsTable(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var ranges)) return false;
        foreach (var range in ranges)
        {
            if (Parameter(range, "as") == "Table" && Parameter(range, "g") == "meta.k8s.io" && Parameter(range, "v") is "v1" or "v1beta1") return true;
        }
        return false;
    }

    /// <summary>The aggregated-discovery version asked for (<c>v2</c> preferred over <c>v2beta1</c>), or null.</summary>
    public static string? AggregatedDiscoveryVersion(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var ranges)) return null;
        string? found = null;
        foreach (var range in ranges)
        {
            if (Parameter(range, "as") != "APIGroupDiscoveryList" || Parameter(range, "g") != "apidiscovery.k8s.io") continue;
            var version = Parameter(range, "v");
            if (version == "v2") return "v2";
            if (version == "v2beta1") found ??= "v2beta1";
        }
        return found;
    }

    private static bool HasParameter(MediaTypeHeaderValue range, string name) => Parameter(range, name) is not null;

    private static string? Parameter(MediaTypeHeaderValue range, string name)
    {
        foreach (var p in range.Parameters)
        {
            if (p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) return p.Value.Value;
        }
        return null;
    }
}
