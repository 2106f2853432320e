namespace KubeDiscovery.Graph.Applications;

/// <summary>The deployment tools (and label conventions) an application can come from, most authoritative first.</summary>
public enum AppSource
{
    ArgoCd,
    Flux,
    Helm,
    Labels,
    Rule,
}

/// <summary>
/// One application: how it is recognised (<see cref="Form"/>: <c>argocd</c>, <c>kustomization</c>,
/// <c>helmrelease</c>, <c>helm</c>, <c>instance</c>, <c>part-of</c>, or a rule's name), the namespace it
/// lives in (the release's, the Application's or Kustomization's, else its members'), and its name. Its
/// item name in the API is <c>{form}.{name}</c>: <c>helm.cart</c>, <c>argocd.guestbook</c>.
/// </summary>
public readonly record struct AppKey(string Form, string Namespace, string Name)
{
    public const string ArgoCd = "argocd";
    public const string Kustomization = "kustomization";
    public const string HelmRelease = "helmrelease";
    public const string Helm = "helm";
    public const string Instance = "instance";
    public const string PartOf = "part-of";

    public AppSource Source => Form switch
    {
        ArgoCd => AppSource.ArgoCd,
        Kustomization or HelmRelease => AppSource.Flux,
        Helm => AppSource.Helm,
        Instance or PartOf => AppSource.Labels,
        _ => AppSource.Rule,
    };

    /// <summary>The name the API serves it under.</summary>
    public string ItemName => $"{Form}.{Name}";

    /// <summary>The SOURCE column: <c>argocd</c>, <c>flux</c>, <c>helm</c>, <c>labels</c> or <c>rule</c>.</summary>
    public string SourceName => Source switch
    {
        AppSource.ArgoCd => "argocd",
        AppSource.Flux => "flux",
        AppSource.Helm => "helm",
        AppSource.Labels => "labels",
        _ => "rule",
    };

    /// <summary>Reads an item name back: the form is everything before the first dot.</summary>
    public static bool TryParse(string itemName, string @namespace, out AppKey key)
    {
        var dot = itemName.IndexOf('.', StringComparison.Ordinal);
        key = dot > 0 && dot < itemName.Length - 1 ? new AppKey(itemName[..dot], @namespace, itemName[(dot + 1)..]) : default;
        return dot > 0 && dot < itemName.Length - 1;
    }

    public override string ToString() => $"{Namespace}/{ItemName}";
}
