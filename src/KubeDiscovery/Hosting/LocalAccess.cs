using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using KubeDiscovery.Tls;

namespace KubeDiscovery.Hosting;

/// <summary>
/// What a newcomer needs to reach a <c>--demo</c> or <c>--snapshot</c> server with plain kubectl, made
/// at start as <c>kind</c> does for its clusters: a serving certificate, a local client CA with an admin
/// certificate (<c>O=system:masters</c>), and a kubeconfig using both, written to <c>--cert-dir</c>
/// (files only the owner can read). <c>export KUBECONFIG=…/kubeconfig</c>, then <c>kubectl get --raw …</c>.
/// </summary>
internal sealed record LocalAccess(string Directory, string KubeconfigPath, string ClientCaFile, string ServingCertFile, string ServingKeyFile)
{
    public const string AdminName = "kubediscovery-admin";

    /// <summary>Where the files go when <c>--cert-dir</c> is not given: one directory per port.</summary>
    public static string DefaultDirectory(int port) => Path.Combine(Path.GetTempPath(), $"kubediscovery-{port}");

    /// <param name="servingCertFile">A serving certificate the operator gave (<c>--tls-cert-file</c>), else null to make one.</param>
    /// <exception cref="ServerStartupException">The directory or its files cannot be written.</exception>
    public static LocalAccess Create(string directory, ServingOptions serving, string? servingCertFile, string? servingKeyFile, TimeProvider time)
    {
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var now = time.GetUtcNow();

            if (servingCertFile is null || servingKeyFile is null)
            {
                using var serving0 = ServingCertificates.CreateSelfSigned(time);
                servingCertFile = Write(directory, "serving.crt", serving0.ExportCertificatePem() + "\n");
                servingKeyFile = Write(directory, "serving.key", serving0.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n");
            }

            using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var caRequest = new CertificateRequest("CN=kubediscovery-local-client-ca", caKey, HashAlgorithmName.SHA256);
            caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
            using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));

            using var adminKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var adminRequest = new CertificateRequest($"CN={AdminName}, O=system:masters", adminKey, HashAlgorithmName.SHA256);
            adminRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            adminRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            adminRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false)); // clientAuth
            adminRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
            using var admin = adminRequest.Create(ca, now.AddMinutes(-5), now.AddYears(1), RandomNumberGenerator.GetBytes(16));

            var caFile = Write(directory, "client-ca.crt", ca.ExportCertificatePem() + "\n");
            var kubeconfig = Write(directory, "kubeconfig", Kubeconfig(serving, File.ReadAllText(servingCertFile), admin.ExportCertificatePem() + "\n", adminKey.ExportPkcs8PrivateKeyPem() + "\n"));
            return new LocalAccess(directory, kubeconfig, caFile, servingCertFile, servingKeyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServerStartupException($"cannot write the local kubeconfig and certificates to {directory} (--cert-dir): {e.Message}", e);
        }
    }

    private static string Kubeconfig(ServingOptions serving, string servingCertPem, string adminCertPem, string adminKeyPem)
    {
        static string Base64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));
        return $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: kubediscovery
              cluster:
                server: https://{Host(serving.BindAddress)}:{serving.SecurePort}
                certificate-authority-data: {Base64(servingCertPem)}
                tls-server-name: localhost
            users:
            - name: {AdminName}
              user:
                client-certificate-data: {Base64(adminCertPem)}
                client-key-data: {Base64(adminKeyPem)}
            contexts:
            - name: kubediscovery
              context:
                cluster: kubediscovery
                user: {AdminName}
            current-context: kubediscovery

            """;
    }

    // A wildcard address serves loopback too; any other address is dialled as given.
    private static string Host(string bindAddress)
    {
        var address = IPAddress.Parse(bindAddress);
        if (address.Equals(IPAddress.Any)) return "127.0.0.1";
        if (address.Equals(IPAddress.IPv6Any)) return "[::1]";
        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
    }

    private static string Write(string directory, string name, string content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }
}
