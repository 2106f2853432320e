using System.Text.Json.Nodes;

namespace KubeDiscovery.TestDoubles;

/// <summary>
/// Seeds a <see cref="FakeStore"/> from the recordings of a real kube-apiserver 1.19
/// (test/fixtures/kube-apiserver-1.19): the resources its discovery documents list and the objects
/// its LIST responses returned. The CRD-backed group is not read from its recorded discovery
/// document: it comes from the recorded CRD, as on a real server.
/// </summary>
public static class Recordings
{
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "fixtures", "kube-apiserver-1.19");

    /// <summary>Group names in the order the recorded <c>/apis</c> lists them.</summary>
    public static IReadOnlyList<string> GroupOrder(string directory)
    {
        var apis = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "discovery", "apis.json")))!;
        return apis["groups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()).ToList();
    }

    /// <summary>Registers every listable resource of the recorded built-in discovery documents.</summary>
    public static void RegisterBuiltins(FakeStore store, string directory)
    {
        var discovery = Path.Combine(directory, "discovery");
        var customGroups = CustomGroups(directory);
        foreach (var file in Directory.EnumerateFiles(discovery, "api*_*.json").Order(StringComparer.Ordinal))
        {
            var doc = JsonNode.Parse(File.ReadAllText(file))!;
            if (doc["kind"]?.GetValue<string>() != "APIResourceList") continue;
            var groupVersion = doc["groupVersion"]!.GetValue<string>();
            var slash = groupVersion.IndexOf('/');
            var (group, version) = slash < 0 ? ("", groupVersion) : (groupVersion[..slash], groupVersion[(slash + 1)..]);
            if (customGroups.Contains(group)) continue;
            foreach (var r in doc["resources"]!.AsArray())
            {
                var name = r!["name"]!.GetValue<string>();
                if (name.Contains('/')) continue;
                store.Register(new FakeResource
                {
                    Group = group,
                    Versions = [version],
                    Plural = name,
                    Singular = r["singularName"]?.GetValue<string>() ?? "",
                    Kind = r["kind"]!.GetValue<string>(),
                    Namespaced = r["namespaced"]!.GetValue<bool>(),
                    ShortNames = r["shortNames"]?.AsArray().Select(s => s!.GetValue<string>()).ToList() ?? [],
                    Verbs = r["verbs"]!.AsArray().Select(s => s!.GetValue<string>()).ToList(),
                    StorageVersionHash = r["storageVersionHash"]?.GetValue<string>() ?? "",
                });
            }
        }
    }

    /// <summary>The recorded objects, CRDs first so their resources exist; list items stamped with the list's type.</summary>
    public static IReadOnlyList<JsonObject> Objects(string directory)
    {
        List<JsonObject> crds = [], others = [];
        foreach (var file in Directory.EnumerateFiles(Path.Combine(directory, "objects"), "*.json").Order(StringComparer.Ordinal))
        {
            var doc = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            var kind = doc["kind"]!.GetValue<string>();
            if (!kind.EndsWith("List", StringComparison.Ordinal))
            {
                others.Add(doc);
                continue;
            }
            var apiVersion = doc["apiVersion"]!.GetValue<string>();
            foreach (var item in doc["items"]!.AsArray())
            {
                var obj = item!.DeepClone().AsObject();
                obj["apiVersion"] ??= apiVersion;
                obj["kind"] ??= kind[..^"List".Length];
                (kind == "CustomResourceDefinitionList" ? crds : others).Add(obj);
            }
        }
        return [.. crds, .. others];
    }

    private static HashSet<string> CustomGroups(string directory)
    {
        var path = Path.Combine(directory, "objects", "apis_apiextensions.k8s.io_v1_customresourcedefinitions.json");
        var list = JsonNode.Parse(File.ReadAllText(path))!;
        return list["items"]!.AsArray().Select(i => i!["spec"]!["group"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
    }
}
