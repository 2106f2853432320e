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
    IReadOnlyList<string> UidHeaders)
{
    /// <summary>Kubernetes' flag defaults, used when the request-header CA comes from a flag.</summary>
    public static readonly IReadOnlyList<string> DefaultUsernameHeaders = ["X-Remote-User"];
    public static readonly IReadOnlyList<string> DefaultGroupHeaders = ["X-Remote-Group"];
    public static readonly IReadOnlyList<string> DefaultExtraHeaderPrefixes = ["X-Remote-Extra-"];
    public static readonly IReadOnlyList<string> DefaultUidHeaders = [];
}
