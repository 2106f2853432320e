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
    public static IReadOnlyList<ResourceType> Parse(JsonElement? groupList, IEnumerable<JsonElement> resourceLists) =>
        Order(groupList is { } list ? ReadGroups(list) : [],
            resourceLists.Select(doc => (doc.GetProperty("groupVersion").GetString() ?? "", ParseResourceList(doc))));

    /// <summary>
    /// The same order, from discovery already read (a live cluster's typed answers): <paramref name="groups"/>
    /// in the <c>APIGroupList</c>'s order, and each group version's top-level resources in their listed order.
    /// </summary>
    public static IReadOnlyList<ResourceType> Order(IEnumerable<DiscoveredGroup> groups, IEnumerable<(string GroupVersion, IEnumerable<ResourceType> Types)> resourceLists)
    {
        var versionRank = new Dictionary<string, int>(StringComparer.Ordinal) { [""] = 0 };
        var groupRank = new Dictionary<string, int>(StringComparer.Ordinal) { [""] = 0 };
        foreach (var group in groups)
        {
            groupRank.TryAdd(group.Name, groupRank.Count);
            if (group.Preferred is { } preferred) versionRank.TryAdd(preferred, 0);
            var i = 1;
            foreach (var version in group.GroupVersions) versionRank.TryAdd(version, i++);
        }

        List<(int GroupRank, string Group, int VersionRank, int Order, ResourceType Type)> found = [];
        foreach (var (groupVersion, types) in resourceLists)
        {
            var (group, _) = KindNames.SplitApiVersion(groupVersion);
            var order = 0;
            foreach (var type in types)
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

    private static List<DiscoveredGroup> ReadGroups(JsonElement list)
    {
        List<DiscoveredGroup> read = [];
        if (!list.TryGetProperty("groups", out var groups) || groups.ValueKind != JsonValueKind.Array) return read;
        foreach (var group in groups.EnumerateArray())
        {
            var preferred = group.TryGetProperty("preferredVersion", out var p) ? p.GetProperty("groupVersion").GetString() : null;
            var versions = group.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("groupVersion").GetString() ?? "").ToList();
            read.Add(new DiscoveredGroup(group.GetProperty("name").GetString() ?? "", preferred, versions));
        }
        return read;
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

/// <summary>One group of an <c>APIGroupList</c>: its name, preferred group version and group versions in listed order.</summary>
public sealed record DiscoveredGroup(string Name, string? Preferred, IReadOnlyList<string> GroupVersions);
