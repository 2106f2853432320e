namespace KubeDiscovery.Security.Authentication;

/// <summary>
/// How to trust the front proxy (kube-apiserver's aggregator): the CA its client certificate must chain
/// to, the common names it may carry (empty: any), and the headers that carry the user it vouches for.
/// </summary>
internal sealed record RequestHeaderConfig(
    CertificateAuthority Authority,
    IReadOnlyList<string> AllowedNames,
    IReadOnlyList<string> UsernameHeaders,
    IReadOnlyList<string> GroupHeaders,
    IReadOnlyList<string> ExtraHeaderPrefixes,
    IReadOnlyList<string> UidHeaders);
