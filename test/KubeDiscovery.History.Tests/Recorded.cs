using System.Text.Json.Nodes;

namespace KubeDiscovery.History.Tests;

/// <summary>Objects recorded from a real kube-apiserver 1.19 (test/fixtures), as JSON to change in tests.</summary>
internal static class Recorded
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "fixtures", "kube-apiserver-1.19", "objects");

    public static JsonObject Item(string file, string name)
    {
        var list = JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, file)))!.AsObject();
        return list["items"]!.AsArray().OfType<JsonObject>().Single(i => i["metadata"]!["name"]!.GetValue<string>() == name).DeepClone().AsObject();
    }

    public static string FirstName(string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, file)))!["items"]![0]!["metadata"]!["name"]!.GetValue<string>();

    public static JsonObject Deployment() => Item("apis_apps_v1_namespaces_default_deployments.json", "nginx");

    public static JsonObject Copy(JsonObject o) => o.DeepClone().AsObject();
}
