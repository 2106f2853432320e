using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace KubeDiscovery.Tests.Deploy;

/// <summary>
/// Which Kubernetes each install variant applies to, checked against the discovery recorded from a real
/// kube-apiserver (test/fixtures): every apiVersion the manifests use must be served, and every kind be
/// in that version's resource list where it was recorded. The README's "Supported Kubernetes versions"
/// says the same.
/// </summary>
public sealed class SupportedVersionsTests
{
    private static readonly string Discovery119 = Path.Combine(AppContext.BaseDirectory, "fixtures", "kube-apiserver-1.19", "discovery");

    [Fact]
    public void TheK8s119Variant_UsesOnlyWhatKubeApiserver119Serves()
    {
        Unserved("k8s-1.19", Discovery119).ShouldBeEmpty();
    }

    [Fact]
    public void ThePlainInstall_NeedsOnly121sPodDisruptionBudget_Beyond119()
    {
        // policy/v1 arrived in 1.21; everything else in the plain install is served by 1.19 already.
        Unserved(".", Discovery119).ShouldBe(["policy/v1 PodDisruptionBudget"]);
    }

    [Fact]
    public void TheCertManagerVariant_NeedsNothingBeyondThePlainInstall_ButCertManager()
    {
        Unserved("cert-manager", Discovery119).Where(u => !u.StartsWith("cert-manager.io/", StringComparison.Ordinal))
            .ShouldBe(["policy/v1 PodDisruptionBudget"]);
    }

    /// <summary>"apiVersion Kind" of every rendered object the recorded discovery does not serve.</summary>
    private static List<string> Unserved(string variant, string discovery)
    {
        var groups = JsonDocument.Parse(File.ReadAllText(Path.Combine(discovery, "apis.json"))).RootElement.GetProperty("groups")
            .EnumerateArray().SelectMany(g => g.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("groupVersion").GetString()!))
            .Append("v1")
            .ToHashSet(StringComparer.Ordinal);
        List<string> unserved = [];
        foreach (var (apiVersion, kind) in Kinds(variant))
        {
            if (!groups.Contains(apiVersion))
            {
                unserved.Add($"{apiVersion} {kind}");
                continue;
            }
            var listFile = Path.Combine(discovery, apiVersion == "v1" ? "api_v1.json" : $"apis_{apiVersion.Replace('/', '_')}.json");
            if (!File.Exists(listFile)) continue; // the group version is served; its resource list was not recorded
            var kinds = JsonDocument.Parse(File.ReadAllText(listFile)).RootElement.GetProperty("resources").EnumerateArray()
                .Select(r => r.GetProperty("kind").GetString());
            if (!kinds.Contains(kind)) unserved.Add($"{apiVersion} {kind}");
        }
        return unserved.Distinct().ToList();
    }

    private static IEnumerable<(string ApiVersion, string Kind)> Kinds(string variant)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(Kustomize.Render(variant)));
        foreach (var document in stream.Documents)
        {
            var root = (YamlMappingNode)document.RootNode;
            yield return (((YamlScalarNode)root["apiVersion"]).Value!, ((YamlScalarNode)root["kind"]).Value!);
        }
    }
}
