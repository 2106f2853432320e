using System.Security.Cryptography.X509Certificates;

namespace KubeDiscovery.Security.Authentication;

/// <summary>
/// A client certificate from the cluster's client CA is its subject: user = CN, groups = O values,
/// as kube-apiserver's x509 authenticator. A certificate with no CN has no opinion.
/// </summary>
internal static class ClientCertificateAuthenticator
{
    public static AuthenticationResult Authenticate(CertificateAuthority authority, X509Certificate2? certificate, X509Certificate2Collection? intermediates)
    {
        if (certificate is null) return AuthenticationResult.NoOpinion;
        var error = authority.Verify(certificate, intermediates);
        if (error is not null) return AuthenticationResult.Failure(error);
        var name = CertificateNames.CommonName(certificate);
        if (name.Length == 0) return AuthenticationResult.NoOpinion;
        return AuthenticationResult.Success(UserInfo.Create(name, groups: CertificateNames.Organizations(certificate)));
    }
}
