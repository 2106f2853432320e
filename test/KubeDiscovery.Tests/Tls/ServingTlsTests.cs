using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using KubeDiscovery.Hosting;
using KubeDiscovery.TestDoubles;
using KubeDiscovery.Tls;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.Tests.Tls;

public sealed class ServingTlsTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("kd-tls-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task EachHandshake_ServesTheCurrentCertificate_BuildingItsChainOncePerCertificate()
    {
        var pki = new TestPki(_time);
        var ca = pki.CreateCa("serving-ca");
        var serving = pki.Issue(ca, "first", usages: [TestPki.ServerAuth]);
        var tls = new ServingTls(() => serving);

        (await HandshakeAsync(tls, client: null)).Served.ShouldBe("CN=first");
        var context = tls.Context();
        (await HandshakeAsync(tls, client: null)).Served.ShouldBe("CN=first");
        tls.Context().ShouldBeSameAs(context);

        serving = pki.Issue(ca, "renewed", usages: [TestPki.ServerAuth]); // what a reloaded file gives
        (await HandshakeAsync(tls, client: null)).Served.ShouldBe("CN=renewed");
        tls.Context().ShouldNotBeSameAs(context);
    }

    [Fact]
    public async Task AClientCertificate_IsAskedForButNotRequired_AndAnyReachesTheAuthenticators()
    {
        var pki = new TestPki(_time);
        var serving = pki.Issue(pki.CreateCa("serving-ca"), "kubediscovery", usages: [TestPki.ServerAuth]);
        // From a CA the server knows nothing of: which CA a client certificate must chain to is the authenticators' call.
        var client = pki.Issue(pki.CreateCa("someone-elses-ca"), "jane");
        var tls = new ServingTls(() => serving);

        (await HandshakeAsync(tls, client: null)).Peer.ShouldBeNull();
        (await HandshakeAsync(tls, client)).Peer.ShouldBe("CN=jane");
    }

    [Fact]
    public void AServingCertificateForClientsOnly_IsRefusedInWords()
    {
        var pki = new TestPki(_time);
        var (cert, key) = TestPki.WritePem(pki.Issue(pki.CreateCa("ca"), "not-a-server", usages: [TestPki.ClientAuth]), _directory, "tls");

        var refused = Should.Throw<ServerStartupException>(() => ServingCertificates.Load(cert, key));

        refused.Message.ShouldContain("serverAuth");
        refused.Message.ShouldContain(cert);
    }

    // One TLS handshake over loopback: the server side with the options Kestrel would get for the connection.
    private static async Task<(string Served, string? Peer)> HandshakeAsync(ServingTls tls, X509Certificate2? client)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1)); // a bound on a hang, not a timing
        using var outgoing = new TcpClient();
        var connecting = outgoing.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, timeout.Token);
        using var incoming = await listener.AcceptTcpClientAsync(timeout.Token);
        await connecting;

        await using var server = new SslStream(incoming.GetStream());
        await using var clientSide = new SslStream(outgoing.GetStream());
        var options = await tls.OnConnection(new TlsHandshakeCallbackContext());
        string? served = null;
        await Task.WhenAll(
            server.AuthenticateAsServerAsync(options, timeout.Token),
            clientSide.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ClientCertificates = client is null ? null : [client],
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    served = certificate?.Subject;
                    return true;
                },
            }, timeout.Token));
        return (served!, server.RemoteCertificate?.Subject);
    }
}
