using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace KubeDiscovery.TestDoubles;

/// <summary>
/// Certificate authorities and client certificates made at test time, like the ones kube-apiserver's
/// clusters use: a client CA (users are CN, groups are O) and a separate front-proxy CA. Validity is
/// derived from the test's own clock, never the machine's, so a test that moves its clock (or runs on
/// any day, under libfaketime too) sees the certificates exactly as it expects.
/// </summary>
public sealed class TestPki(TimeProvider clock)
{
    /// <summary>For tests that drive real processes (kubectl, the server executable), which read the real clock.</summary>
    public static TestPki SystemClock { get; } = new(TimeProvider.System);

    /// <summary>Now, by the clock these certificates are issued against.</summary>
    public DateTimeOffset Now => clock.GetUtcNow();

    public static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");
    public static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");

    public X509Certificate2 CreateCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var cert = request.CreateSelfSigned(Now.AddDays(-30), Now.AddYears(1));
        return Reload(cert);
    }

    /// <summary>An intermediate CA signed by <paramref name="ca"/>.</summary>
    public X509Certificate2 CreateIntermediate(X509Certificate2 ca, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var issued = request.Create(ca, Now.AddDays(-20), Now.AddMonths(6), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        return Reload(withKey);
    }

    /// <param name="usages">Extended key usages; empty for a certificate without the extension (valid for any use, as Go reads it).</param>
    public X509Certificate2 Issue(X509Certificate2 ca, string commonName, string[]? organizations = null,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, Oid[]? usages = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new StringBuilder($"CN={commonName}");
        foreach (var o in organizations ?? []) subject.Append($", O={o}");
        var request = new CertificateRequest(subject.ToString(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        usages ??= [ClientAuth];
        if (usages.Length > 0)
        {
            var collection = new OidCollection();
            foreach (var usage in usages) collection.Add(usage);
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(collection, false));
        }
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        var from = notBefore ?? Now.AddHours(-1);
        var until = notAfter ?? Now.AddDays(30);
        using var issued = request.Create(ca, from, until, serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        return Reload(withKey);
    }

    public static string Pem(X509Certificate2 cert) => cert.ExportCertificatePem() + "\n";

    public static string Bundle(params X509Certificate2[] certs) => string.Concat(certs.Select(Pem));

    /// <summary>Writes the certificate and its key as PEM files (for kubectl's --client-certificate/--client-key).</summary>
    public static (string CertFile, string KeyFile) WritePem(X509Certificate2 cert, string directory, string name)
    {
        var certFile = Path.Combine(directory, name + ".crt");
        var keyFile = Path.Combine(directory, name + ".key");
        File.WriteAllText(certFile, Pem(cert));
        File.WriteAllText(keyFile, cert.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n");
        return (certFile, keyFile);
    }

    // Keys made in memory must be re-imported to be usable by TLS on Linux.
    private static X509Certificate2 Reload(X509Certificate2 cert) =>
        X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
}
