using k8s;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Graph.Resources;

namespace KubeDiscovery.Sources.Live;

/// <summary>
/// Reads what a cluster serves from its discovery documents: <c>/api/v1</c> and the preferred version
/// of every group in <c>/apis</c>. A group version that fails to answer (an aggregated API that is
/// down, typically) is reported, not fatal: the rest of the cluster is still worth following.
/// </summary>
internal sealed class ApiDiscovery(IKubernetes client)
{
    /// <summary>Our own group: its resources are subresources of other groups' kinds, nothing to follow.</summary>
    public const string OwnGroup = "kubediscovery.io";

    public async Task<DiscoveryResult> DiscoverAsync(CancellationToken cancellationToken)
    {
        var groups = await client.Apis.GetAPIVersionsAsync(cancellationToken).ConfigureAwait(false);
        List<(string Group, string Version)> wanted = [("", "v1")];
        foreach (var group in groups?.Groups ?? [])
        {
            if (group?.Name is not { Length: > 0 } name || name == OwnGroup) continue;
            var preferred = group.PreferredVersion?.Version ?? group.Versions?.FirstOrDefault()?.Version;
            if (!string.IsNullOrEmpty(preferred)) wanted.Add((name, preferred));
        }

        var fetches = wanted.Select(async gv =>
        {
            try
            {
                // Group "" maps to /api/v1 in the package's custom-objects paths.
                var list = await client.CustomObjects.GetAPIResourcesAsync(gv.Group, gv.Version, cancellationToken).ConfigureAwait(false);
                return (gv, List: (k8s.Models.V1APIResourceList?)list, Error: (Exception?)null);
            }
            catch (Exception e) when (e is not OperationCanceledException && gv.Group.Length > 0)
            {
                return (gv, List: (k8s.Models.V1APIResourceList?)null, Error: (Exception?)e);
            }
        }).ToList();
        var results = await Task.WhenAll(fetches).ConfigureAwait(false);

        // The package's typed answers, read as they are: the same ordering rules as the snapshot's documents.
        var groupOrder = (groups?.Groups ?? []).Where(g => g?.Name is not null).Select(g => new DiscoveredGroup(
            g.Name, g.PreferredVersion?.GroupVersion, (g.Versions ?? []).Select(v => v.GroupVersion ?? "").ToList()));
        var types = DiscoveryDocuments.Order(groupOrder, results.Where(r => r.List is not null).Select(r => (r.List!.GroupVersion ?? "", Types(r.List!))))
            .Where(t => t.Verbs.Contains("list") && t.Verbs.Contains("watch"))
            .ToList();
        var failed = results.Where(r => r.Error is not null)
            .ToDictionary(r => r.gv.Group.Length == 0 ? r.gv.Version : $"{r.gv.Group}/{r.gv.Version}", r => KubernetesErrors.Describe(r.Error!));
        return new DiscoveryResult(types, failed);
    }

    /// <summary>The top-level resources of one typed <c>APIResourceList</c> (subresources are skipped).</summary>
    private static IEnumerable<ResourceType> Types(k8s.Models.V1APIResourceList list)
    {
        var (group, version) = KindNames.SplitApiVersion(list.GroupVersion ?? "");
        foreach (var r in list.Resources ?? [])
        {
            if (string.IsNullOrEmpty(r.Name) || r.Name.Contains('/')) continue;
            yield return new ResourceType
            {
                Group = string.IsNullOrEmpty(r.Group) ? group : r.Group,
                Version = string.IsNullOrEmpty(r.Version) ? version : r.Version,
                Kind = r.Kind ?? "",
                Plural = r.Name,
                Singular = r.SingularName ?? "",
                ShortNames = NonEmpty(r.ShortNames),
                Namespaced = r.Namespaced,
                Verbs = NonEmpty(r.Verbs),
                StorageVersionHash = r.StorageVersionHash ?? "",
            };
        }
    }

    private static string[] NonEmpty(IList<string>? values) => values?.Where(v => !string.IsNullOrEmpty(v)).ToArray() ?? [];
}

/// <summary>Listable and watchable types in priority order, and the group versions that did not answer (with why).</summary>
internal sealed record DiscoveryResult(IReadOnlyList<ResourceType> Types, IReadOnlyDictionary<string, string> FailedGroupVersions);
