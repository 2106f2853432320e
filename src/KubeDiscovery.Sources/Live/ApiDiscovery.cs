using System.Text.Json;
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

        // Reuse the document reader the snapshot source uses (ordering, name forms) on the package's
        // typed answers, serialised back to their wire JSON.
        using var groupList = JsonDocument.Parse(KubernetesJson.Serialize(groups));
        List<JsonDocument> lists = [];
        try
        {
            foreach (var r in results)
            {
                if (r.List is not null) lists.Add(JsonDocument.Parse(KubernetesJson.Serialize(r.List)));
            }
            var types = DiscoveryDocuments.Parse(groupList.RootElement, lists.Select(d => d.RootElement))
                .Where(t => t.Verbs.Contains("list") && t.Verbs.Contains("watch"))
                .ToList();
            var failed = results.Where(r => r.Error is not null)
                .ToDictionary(r => r.gv.Group.Length == 0 ? r.gv.Version : $"{r.gv.Group}/{r.gv.Version}", r => KubernetesErrors.Describe(r.Error!));
            return new DiscoveryResult(types, failed);
        }
        finally
        {
            foreach (var doc in lists) doc.Dispose();
        }
    }
}

/// <summary>Listable and watchable types in priority order, and the group versions that did not answer (with why).</summary>
internal sealed record DiscoveryResult(IReadOnlyList<ResourceType> Types, IReadOnlyDictionary<string, string> FailedGroupVersions);
