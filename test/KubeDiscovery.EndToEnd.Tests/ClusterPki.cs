using System.Security.Cryptography.X509Certificates;
using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>
/// The certificates of one test cluster, made at run time and written as PEM files: a client CA with
/// an admin (O=system:masters), and a separate front-proxy CA with the aggregator's client certificate.
/// </summary>
public sealed class ClusterPki : IDisposable
{
    public const string FrontProxyName = "front-proxy-client";

    public ClusterPki()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("kd-e2e-pki-").FullName;
        ClientCa = TestPki.SystemClock.CreateCa("e2e-client-ca");
        FrontProxyCa = TestPki.SystemClock.CreateCa("e2e-front-proxy-ca");
        Admin = TestPki.SystemClock.Issue(ClientCa, "e2e-admin", ["system:masters"]);
        FrontProxy = TestPki.SystemClock.Issue(FrontProxyCa, FrontProxyName);
        ClientCaFile = Path.Combine(Directory, "client-ca.crt");
        File.WriteAllText(ClientCaFile, TestPki.Pem(ClientCa));
        FrontProxyCaFile = Path.Combine(Directory, "front-proxy-ca.crt");
        File.WriteAllText(FrontProxyCaFile, TestPki.Pem(FrontProxyCa));
        (AdminCertFile, AdminKeyFile) = TestPki.WritePem(Admin, Directory, "admin");
    }

    public string Directory { get; }
    public X509Certificate2 ClientCa { get; }
    public X509Certificate2 FrontProxyCa { get; }
    public X509Certificate2 Admin { get; }
    public X509Certificate2 FrontProxy { get; }
    public string ClientCaFile { get; }
    public string FrontProxyCaFile { get; }
    public string AdminCertFile { get; }
    public string AdminKeyFile { get; }

    /// <summary>The flags that make a server trust these CAs without a cluster's ConfigMap.</summary>
    public string[] ServerFlags =>
        ["--client-ca-file", ClientCaFile, "--requestheader-client-ca-file", FrontProxyCaFile, "--requestheader-allowed-names", FrontProxyName];

    /// <summary>An HTTPS client that trusts any server certificate and presents <paramref name="certificate"/> (none if null).</summary>
    public static HttpClient Client(X509Certificate2? certificate)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
                // Present the certificate whatever CAs the server hints at.
                LocalCertificateSelectionCallback = certificate is null ? null : (_, _, _, _, _) => certificate,
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
