using System.Reflection;
using System.Text.Json;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Graph.Resources;

namespace KubeDiscovery.Sources.Discovery;

/// <summary>
/// The built-in Kubernetes resources, for sources that cannot ask a kube-apiserver: discovery documents
/// recorded from a real 1.19 server, plus <c>supplement.json</c> for built-in kinds those recordings lack
/// or that arrived later (batch/v1 CronJob, policy/v1 PDB, storage classes…), in upstream discovery form.
/// </summary>
public static class BuiltinDiscovery
{
    private static readonly Lazy<IReadOnlyList<ResourceType>> LazyTypes = new(Load);

    /// <summary>Built-in types in kubectl's priority order.</summary>
    public static IReadOnlyList<ResourceType> Types => LazyTypes.Value;

    private static IReadOnlyList<ResourceType> Load()
    {
        var assembly = typeof(BuiltinDiscovery).Assembly;
        JsonElement? groupList = null;
        List<JsonElement> resourceLists = [];
        foreach (var name in assembly.GetManifestResourceNames().Order(StringComparer.Ordinal))
        {
            if (name == "discovery/apis.json")
            {
                groupList = Read(assembly, name);
            }
            else if (name.StartsWith("discovery/", StringComparison.Ordinal))
            {
                resourceLists.Add(Read(assembly, name));
            }
        }
        resourceLists.AddRange(Read(assembly, "discovery-supplement.json").EnumerateArray());
        return DiscoveryDocuments.Parse(groupList, resourceLists);
    }

    private static JsonElement Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing");
        using var doc = JsonDocument.Parse(stream);
        return doc.RootElement.Clone();
    }
}
