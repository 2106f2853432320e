using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;

namespace KubeDiscovery.Security;

/// <summary>
/// Keeps the intermediate certificates a client presented beside its leaf. Kestrel exposes only the
/// leaf; the TLS handshake's validation callback sees the rest, and Go's verifier uses them.
/// </summary>
internal static class PeerCertificates
{
    private static readonly ConditionalWeakTable<X509Certificate2, X509Certificate2Collection> Intermediates = [];

    /// <summary>The handshake callback: accepts every certificate (each authenticator verifies its own CA) and keeps the intermediates.</summary>
    public static bool Accept(X509Certificate2 leaf, X509Chain? chain, SslPolicyErrors errors)
    {
        if (chain is not null && chain.ChainPolicy.ExtraStore.Count > 0)
        {
            var extra = new X509Certificate2Collection();
            foreach (var cert in chain.ChainPolicy.ExtraStore)
            {
                if (!cert.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span)) extra.Add(X509CertificateLoader.LoadCertificate(cert.RawData));
            }
            if (extra.Count > 0) Intermediates.AddOrUpdate(leaf, extra);
        }
        return true;
    }

    public static X509Certificate2Collection? Of(X509Certificate2? leaf) =>
        leaf is not null && Intermediates.TryGetValue(leaf, out var extra) ? extra : null;
}
