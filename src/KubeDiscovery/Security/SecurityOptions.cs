namespace KubeDiscovery.Security;

/// <summary>
/// Delegated authentication and authorization, with the flags and defaults of Kubernetes' own
/// aggregated servers (k8s.io/apiserver DelegatingAuthenticationOptions/DelegatingAuthorizationOptions).
/// </summary>
public sealed partial record SecurityOptions
{
    /// <summary>Kubeconfig for TokenReviews and the authentication ConfigMap; null uses the followed cluster.</summary>
    public string? AuthenticationKubeconfig { get; init; }

    /// <summary>Kubeconfig for SubjectAccessReviews; null uses the followed cluster.</summary>
    public string? AuthorizationKubeconfig { get; init; }

    /// <summary>PEM bundle of the client CA; overrides the ConfigMap's <c>client-ca-file</c>.</summary>
    public string? ClientCaFile { get; init; }

    /// <summary>PEM bundle of the front proxy's CA; overrides the ConfigMap's request-header settings.</summary>
    public string? RequestHeaderClientCaFile { get; init; }

    /// <summary>Common names the front proxy's certificate may have (with <see cref="RequestHeaderClientCaFile"/>); empty allows any.</summary>
    public IReadOnlyList<string> RequestHeaderAllowedNames { get; init; } = [];

    public IReadOnlyList<string> RequestHeaderUsernameHeaders { get; init; } = ["X-Remote-User"];

    public IReadOnlyList<string> RequestHeaderGroupHeaders { get; init; } = ["X-Remote-Group"];

    public IReadOnlyList<string> RequestHeaderExtraHeadersPrefix { get; init; } = ["X-Remote-Extra-"];

    public IReadOnlyList<string> RequestHeaderUidHeaders { get; init; } = [];

    /// <summary>
    /// What a parent says of children the requester may not read: <see cref="HiddenChildrenMode.Count"/>
    /// (<c>hiddenChildren: N</c>, which discloses how many exist) or <see cref="HiddenChildrenMode.Omit"/>
    /// (nothing at all, not even <c>truncated</c>).
    /// </summary>
    public HiddenChildrenMode HiddenChildren { get; init; } = HiddenChildrenMode.Count;

    /// <summary>Do not read <c>kube-system/extension-apiserver-authentication</c>.</summary>
    public bool AuthenticationSkipLookup { get; init; }

    public TimeSpan TokenCacheTtl { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan AuthorizedCacheTtl { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan UnauthorizedCacheTtl { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Groups allowed everything without a review (the 1.21+ default).</summary>
    public IReadOnlyList<string> AlwaysAllowGroups { get; init; } = ["system:masters"];

    /// <summary>Paths allowed to anyone (exact, or a prefix ending in <c>*</c>).</summary>
    public IReadOnlyList<string> AlwaysAllowPaths { get; init; } = ["/healthz", "/readyz", "/livez"];

    /// <summary>What is wrong with these options, in the flags' words; null when nothing is.</summary>
    public string? Validate()
    {
        if (RequestHeaderClientCaFile is null)
        {
            var defaults = new SecurityOptions();
            if (RequestHeaderAllowedNames.Count > 0
                || !RequestHeaderUsernameHeaders.SequenceEqual(defaults.RequestHeaderUsernameHeaders)
                || !RequestHeaderGroupHeaders.SequenceEqual(defaults.RequestHeaderGroupHeaders)
                || !RequestHeaderExtraHeadersPrefix.SequenceEqual(defaults.RequestHeaderExtraHeadersPrefix)
                || !RequestHeaderUidHeaders.SequenceEqual(defaults.RequestHeaderUidHeaders))
            {
                return "the --requestheader-* settings need --requestheader-client-ca-file (without it they come from the cluster's ConfigMap)";
            }
        }
        else if (RequestHeaderUsernameHeaders.Count == 0)
        {
            return "--requestheader-username-headers cannot be empty";
        }
        var badPath = AlwaysAllowPaths.FirstOrDefault(p => !p.StartsWith('/'));
        return badPath is null ? null : $"--authorization-always-allow-paths \"{badPath}\" must start with /";
    }
}

/// <summary>The values of <c>--hidden-children</c>.</summary>
public enum HiddenChildrenMode
{
    Count,
    Omit,
}
