namespace KubeDiscovery.Graph.Applications;

/// <summary>
/// What deployment tools write on the objects they apply, as data: the table the README documents. An
/// object nothing owns is claimed by every marker it carries; the first claim in this order is its
/// application, the others are told (<c>alsoClaimedBy</c>). Objects with an owner belong to their owner's.
/// </summary>
public static class ApplicationMarkers
{
    /// <summary>Argo CD's annotation tracking (the default since 2.x's <c>application.resourceTrackingMethod: annotation</c>).</summary>
    public const string ArgoTrackingId = "argocd.argoproj.io/tracking-id";

    public const string FluxKustomizationName = "kustomize.toolkit.fluxcd.io/name";
    public const string FluxKustomizationNamespace = "kustomize.toolkit.fluxcd.io/namespace";
    public const string FluxHelmReleaseName = "helm.toolkit.fluxcd.io/name";
    public const string FluxHelmReleaseNamespace = "helm.toolkit.fluxcd.io/namespace";

    public const string HelmReleaseName = "meta.helm.sh/release-name";
    public const string HelmReleaseNamespace = "meta.helm.sh/release-namespace";

    public const string Instance = "app.kubernetes.io/instance";
    public const string PartOf = "app.kubernetes.io/part-of";

    /// <summary>The annotations read at ingest (the only ones the index looks at for applications).</summary>
    public static IReadOnlyList<string> Annotations { get; } = [ArgoTrackingId, HelmReleaseName, HelmReleaseNamespace];

    /// <summary>
    /// Objects that are an application's root and status rather than its member: the kind, and the form
    /// of the application it stands for (an application is named like its root).
    /// </summary>
    public static IReadOnlyDictionary<(string Group, string Kind), string> RootKinds { get; } = new Dictionary<(string, string), string>
    {
        [("argoproj.io", "Application")] = AppKey.ArgoCd,
        [("kustomize.toolkit.fluxcd.io", "Kustomization")] = AppKey.Kustomization,
        [("helm.toolkit.fluxcd.io", "HelmRelease")] = AppKey.HelmRelease,
    };

    /// <summary>Helm 3's release records: Secrets (or ConfigMaps, with the configmap driver) labelled <c>owner=helm</c>.</summary>
    public static bool IsHelmReleaseRecord(Model.ObjectRecord record) =>
        record.Type.Group.Length == 0 && record.Kind is "Secret" or "ConfigMap" && Label(record.Labels, "owner") == "helm"
        && Label(record.Labels, "name") is { Length: > 0 } && record.Namespace is not null;

    /// <summary>
    /// The applications that claim <paramref name="record"/>, most authoritative first (empty when none):
    /// Argo CD, Flux, Helm, recommended labels, then the rules' labels.
    /// </summary>
    public static List<AppKey> ClaimsOf(Model.ObjectRecord record, string argoNamespace, IReadOnlyList<ApplicationRule> rules)
    {
        List<AppKey> claims = [];
        var labels = record.Labels;
        var ns = record.Namespace;
        var marks = record.Marks;
        if (marks?.ArgoApp is { } app) claims.Add(new AppKey(AppKey.ArgoCd, marks.ArgoNamespace ?? argoNamespace, app));
        if (Label(labels, FluxKustomizationName) is { Length: > 0 } k && Label(labels, FluxKustomizationNamespace) is { Length: > 0 } kns)
        {
            claims.Add(new AppKey(AppKey.Kustomization, kns, k));
        }
        if (Label(labels, FluxHelmReleaseName) is { Length: > 0 } h && Label(labels, FluxHelmReleaseNamespace) is { Length: > 0 } hns)
        {
            claims.Add(new AppKey(AppKey.HelmRelease, hns, h));
        }
        if (marks?.HelmRelease is { } release && (marks.HelmNamespace ?? ns) is { } releaseNs) claims.Add(new AppKey(AppKey.Helm, releaseNs, release));
        if (ns is not null)
        {
            // Helm charts and Argo CD's label tracking write the instance label with the release's or app's
            // own name: that is the same application, not a second claim.
            if (Label(labels, Instance) is { Length: > 0 } instance)
            {
                if (!claims.Exists(c => c.Name == instance)) claims.Add(new AppKey(AppKey.Instance, ns, instance));
            }
            else if (Label(labels, PartOf) is { Length: > 0 } partOf) claims.Add(new AppKey(AppKey.PartOf, ns, partOf));
            foreach (var rule in rules)
            {
                if (Label(labels, rule.Label) is { Length: > 0 } value) claims.Add(new AppKey(rule.Name, ns, value));
            }
        }
        return claims;
    }

    /// <summary>The value of one label; labels are sorted by key, so this is a binary search.</summary>
    public static string? Label(IReadOnlyList<KeyValuePair<string, string>> labels, string key)
    {
        int lo = 0, hi = labels.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = string.CompareOrdinal(labels[mid].Key, key);
            if (c == 0) return labels[mid].Value;
            if (c < 0) lo = mid + 1; else hi = mid - 1;
        }
        return null;
    }
}

/// <summary>
/// A platform's own grouping (<c>kind: application</c> in a rules document): objects carrying
/// <see cref="Label"/> belong to the application named by its value, listed as <c>{Name}.{value}</c>.
/// </summary>
public sealed record ApplicationRule(string Name, string Label);
