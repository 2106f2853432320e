namespace KubeDiscovery.Security.Authentication;

/// <summary>
/// What client certificates are checked against at one moment: the client CA and the front proxy's
/// request-header settings, either of which may be absent. Replaced whole when the ConfigMap changes.
/// </summary>
internal sealed record TrustMaterial(CertificateAuthority? ClientCa, RequestHeaderConfig? RequestHeader)
{
    public static TrustMaterial None { get; } = new(null, null);
}
