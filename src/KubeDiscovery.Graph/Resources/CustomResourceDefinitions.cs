using System.Text.Json;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Resources;

/// <summary>Turns a <c>CustomResourceDefinition</c> (v1 or v1beta1) into the resource type it serves.</summary>
public static class CustomResourceDefinitions
{
    private static readonly string[] CustomResourceVerbs = ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"];

    public static bool IsCustomResourceDefinition(string apiVersion, string kind) =>
        kind == "CustomResourceDefinition" && apiVersion.StartsWith("apiextensions.k8s.io/", StringComparison.Ordinal);

    /// <returns>The type, or null with <paramref name="error"/> saying what is missing.</returns>
    public static ResourceType? ToResourceType(JsonElement crd, out string? error)
    {
        error = null;
        if (!crd.TryGetProperty("spec", out var spec) || spec.ValueKind != JsonValueKind.Object)
        {
            error = "CustomResourceDefinition has no spec";
            return null;
        }
        var group = spec.TryGetProperty("group", out var g) ? g.GetString() : null;
        if (!spec.TryGetProperty("names", out var names) || names.ValueKind != JsonValueKind.Object
            || string.IsNullOrEmpty(group)
            || names.TryGetProperty("plural", out var plural) is false || string.IsNullOrEmpty(plural.GetString())
            || names.TryGetProperty("kind", out var kind) is false || string.IsNullOrEmpty(kind.GetString()))
        {
            error = "CustomResourceDefinition needs spec.group, spec.names.plural and spec.names.kind";
            return null;
        }

        return new ResourceType
        {
            Group = group,
            Version = PreferredVersion(spec) ?? "v1",
            Kind = kind.GetString()!,
            Plural = plural.GetString()!,
            Singular = names.TryGetProperty("singular", out var s) ? s.GetString() ?? "" : "",
            ShortNames = names.TryGetProperty("shortNames", out var sn) && sn.ValueKind == JsonValueKind.Array
                ? sn.EnumerateArray().Select(e => e.GetString() ?? "").Where(e => e.Length > 0).ToArray()
                : [],
            Namespaced = !(spec.TryGetProperty("scope", out var scope) && scope.GetString() == "Cluster"),
            Verbs = CustomResourceVerbs,
        };
    }

    // The storage version, else the first served one, else v1beta1's spec.version.
    private static string? PreferredVersion(JsonElement spec)
    {
        if (spec.TryGetProperty("versions", out var versions) && versions.ValueKind == JsonValueKind.Array)
        {
            string? firstServed = null;
            foreach (var v in versions.EnumerateArray())
            {
                var name = v.TryGetProperty("name", out var n) ? n.GetString() : null;
                if (name is null) continue;
                if (v.TryGetProperty("storage", out var st) && st.ValueKind == JsonValueKind.True) return name;
                if (firstServed is null && !(v.TryGetProperty("served", out var sv) && sv.ValueKind == JsonValueKind.False)) firstServed = name;
            }
            if (firstServed is not null) return firstServed;
        }
        return spec.TryGetProperty("version", out var single) ? single.GetString() : null;
    }
}
