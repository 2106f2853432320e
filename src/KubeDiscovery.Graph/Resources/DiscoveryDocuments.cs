using System.Text.Json;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Resources;

/// <summary>Reads kube-apiserver discovery documents (<c>APIGroupList</c>, <c>APIResourceList</c>) into resource types.</summary>
public static class DiscoveryDocuments
{
    /// <summary>
    /// Orders the resources of <paramref name="resourceLists"/> the way kubectl prioritises them:
    /// the core group first, then groups in <paramref name="groupList"/> order, each group's versions
    /// in its listed order (preferred first); groups the list does not name come last, by name.
    /// </summary>
    public static IReadOnlyList<ResourceType> Parse(JsonElement? groupList, IEnumerable<JsonElement> resourceLists)
    {
        var versionRank = new Dictionary<string, int>(StringComparer.Ordinal) { [""] = 0 };
        var groupRank = new Dictionary<string, int>(StringComparer.Ordinal) { [""] = 0 };
        if (groupList is { } list && list.TryGetProperty("groups", out var groups) && groups.ValueKind == JsonValueKind.Array)
        {
            foreach (var group in groups.EnumerateArray())
            {
                var name = group.GetProperty("name").GetString() ?? "";
                groupRank.TryAdd(name, groupRank.Count);
                var preferred = group.TryGetProperty("preferredVersion", out var p) ? p.GetProperty("groupVersion").GetString() : null;
                if (preferred is not null) versionRank.TryAdd(preferred, 0);
                var i = 1;
                foreach (var version in group.GetProperty("versions").EnumerateArray())
                {
                    versionRank.TryAdd(version.GetProperty("groupVersion").GetString() ?? "", i++);
                }
            }
        }

        List<(int GroupRank, string Group, int VersionRank, int Order, ResourceType Type)> found = [];
        foreach (var doc in resourceLists)
        {
            var groupVersion = doc.GetProperty("groupVersion").GetString() ?? "";
            var (group, version) = KindNames.SplitApiVersion(groupVersion);
            var order = 0;
            foreach (var type in ParseResourceList(doc))
            {
                found.Add((groupRank.GetValueOrDefault(group, int.MaxValue), group,
                    versionRank.GetValueOrDefault(groupVersion, int.MaxValue), order++, type));
            }
        }
        return found
            .OrderBy(f => f.GroupRank).ThenBy(f => f.Group, StringComparer.Ordinal)
            .ThenBy(f => f.VersionRank).ThenBy(f => f.Order)
            .Select(f => f.Type)
            .ToList();
    }

    /// <summary>The top-level resources of one <c>APIResourceList</c> (subresources are skipped).</summary>
    public static IEnumerable<ResourceType> ParseResourceList(JsonElement doc)
    {
        var (group, version) = KindNames.SplitApiVersion(doc.GetProperty("groupVersion").GetString() ?? "");
        if (!doc.TryGetProperty("resources", out var resources) || resources.ValueKind != JsonValueKind.Array) yield break;
        foreach (var r in resources.EnumerateArray())
        {
            var name = r.GetProperty("name").GetString() ?? "";
            if (name.Length == 0 || name.Contains('/')) continue;
            yield return new ResourceType
            {
                Group = r.TryGetProperty("group", out var g) && g.GetString() is { Length: > 0 } gs ? gs : group,
                Version = r.TryGetProperty("version", out var v) && v.GetString() is { Length: > 0 } vs ? vs : version,
                Kind = r.GetProperty("kind").GetString() ?? "",
                Plural = name,
                Singular = r.TryGetProperty("singularName", out var s) ? s.GetString() ?? "" : "",
                ShortNames = StringArray(r, "shortNames"),
                Namespaced = r.TryGetProperty("namespaced", out var n) && n.ValueKind == JsonValueKind.True,
                Verbs = StringArray(r, "verbs"),
                StorageVersionHash = r.TryGetProperty("storageVersionHash", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() ?? "" : "",
            };
        }
    }

    private static string[] StringArray(JsonElement element, string property) =>
        element.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(e => e.GetString() ?? "").Where(e => e.Length > 0).ToArray()
            : [];
}
