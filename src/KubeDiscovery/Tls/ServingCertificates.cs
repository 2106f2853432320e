using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KubeDiscovery.Hosting;

namespace KubeDiscovery.Tls;

/// <summary>
/// The serving certificate: the PEM pair given on the command line, or a self-signed ECDSA P-256
/// certificate made at start (what Kubernetes' sample-apiserver and metrics-server do; the APIService
/// then needs <c>insecureSkipTLSVerify</c> or cert-manager, see the README).
/// </summary>
internal static class ServingCertificates
{
    /// <summary>Names kube-apiserver and local clients use to reach us; the aggregator checks <c>&lt;svc&gt;.&lt;ns&gt;.svc</c>.</summary>
    public static readonly string[] SelfSignedDnsNames =
    [
        "localhost",
        "kubediscovery",
        "kubediscovery.kubediscovery",
        "kubediscovery.kubediscovery.svc",
        "kubediscovery.kubediscovery.svc.cluster.local",
    ];

    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";

    public static X509Certificate2 Load(string certFile, string keyFile)
    {
        try
        {
            var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);
            // What Kestrel checks of a certificate it is given (this server hands SslStream a built context):
            // one meant for other uses only would fail every client's handshake, so it fails here, in words.
            if (pem.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } usages
                && !usages.EnhancedKeyUsages.Cast<Oid>().Any(usage => usage.Value is ServerAuth))
            {
                pem.Dispose();
                throw new ServerStartupException($"the serving certificate {certFile} is not for TLS servers: its extended key usage lacks serverAuth ({ServerAuth})");
            }
            return Usable(pem);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new ServerStartupException($"cannot load the serving certificate {certFile} with key {keyFile}: {e.Message}", e);
        }
    }

    public static X509Certificate2 CreateSelfSigned(TimeProvider time)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kubediscovery", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var dns in SelfSignedDnsNames) names.AddDnsName(dns);
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuth)], false));

        var now = time.GetUtcNow();
        return Usable(request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1)));
    }

    /// <summary>
    /// A certificate whose private key SslStream can use. On Linux (OpenSSL) any key can; elsewhere a key made
    /// in memory must be re-imported, a PKCS#12 round trip whose key derivation was a tenth of the demo's start.
    /// </summary>
    private static X509Certificate2 Usable(X509Certificate2 certificate)
    {
        if (OperatingSystem.IsLinux()) return certificate;
        using (certificate) return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
    }
}
