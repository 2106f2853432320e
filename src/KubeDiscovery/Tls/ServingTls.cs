using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KubeDiscovery.Security;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace KubeDiscovery.Tls;

/// <summary>
/// The TLS options of each connection, from the current serving certificate. Given a certificate selector,
/// SslStream builds the certificate's chain again on every handshake, and the first build in a process
/// reads every CA the system trusts (about 100 ms on the demo, its largest start-up cost). Here a chain is
/// built once per certificate (a reloaded file is a new one), offline: a handshake never fetches issuers.
/// </summary>
internal sealed class ServingTls(Func<X509Certificate2> certificate)
{
    private Built? current;

    /// <summary>Kestrel's per-connection callback (<see cref="TlsHandshakeCallbackOptions.OnConnection"/>).</summary>
    public ValueTask<SslServerAuthenticationOptions> OnConnection(TlsHandshakeCallbackContext _) =>
        ValueTask.FromResult(new SslServerAuthenticationOptions
        {
            ServerCertificateContext = Context(),
            // Ask for a client certificate without requiring one, and accept any at the handshake: which
            // CA it must chain to depends on the authenticator (front proxy or client CA), and a request
            // without one still authenticates by token or as anonymous. ALPN is left to Kestrel.
            ClientCertificateRequired = true,
            RemoteCertificateValidationCallback = static (_, peer, chain, errors) =>
                peer is not X509Certificate2 leaf || PeerCertificates.Accept(leaf, chain, errors),
        });

    /// <summary>The current certificate's context, built when the certificate is first seen.</summary>
    public SslStreamCertificateContext Context()
    {
        var serving = certificate();
        var known = Volatile.Read(ref current);
        if (known is not null && ReferenceEquals(known.Certificate, serving)) return known.Context;
        // Two handshakes racing a reload may both build it; either result is the same context.
        var built = new Built(serving, SslStreamCertificateContext.Create(serving, additionalCertificates: null, offline: true));
        Volatile.Write(ref current, built);
        return built.Context;
    }

    /// <summary>
    /// Reads the system's trusted CAs on a pool thread, so that the first chain build (on the first
    /// handshake) finds them cached rather than reading them while a client waits. Called at start, while
    /// the index loads; a system without CAs just has nothing to read.
    /// </summary>
    public static void WarmSystemTrust() => _ = Task.Run(static () =>
    {
        try
        {
            using var store = new X509Store(StoreName.Root, StoreLocation.LocalMachine, OpenFlags.ReadOnly);
            foreach (var ca in store.Certificates) ca.Dispose();
        }
        catch (CryptographicException)
        {
            // Nothing warmed; the handshake's own chain build reads (and reports on) the same store.
        }
    });

    private sealed record Built(X509Certificate2 Certificate, SslStreamCertificateContext Context);
}
