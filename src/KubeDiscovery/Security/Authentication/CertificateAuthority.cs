using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KubeDiscovery.Security.Authentication;

/// <summary>
/// A CA bundle that verifies client certificates the way Go's <c>x509.Verify</c> does for
/// kube-apiserver: chain to one of these roots (presented intermediates allowed), within validity,
/// with an extended key usage that allows clientAuth (a leaf with no EKU allows every usage).
/// Verdicts are cached per certificate object — one per TLS connection — so a keep-alive client costs one
/// chain build, not one per request, and nothing is hashed on the request path.
/// </summary>
internal sealed class CertificateAuthority
{
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");
    private static readonly TimeSpan VerdictLifetime = TimeSpan.FromMinutes(1);

    private readonly X509Certificate2Collection _roots;
    private readonly TimeProvider _time;
    // Weak keys: a verdict lives as long as its connection's certificate object, and no longer.
    private readonly ConditionalWeakTable<X509Certificate2, Verdict> _verdicts = [];

    public CertificateAuthority(X509Certificate2Collection roots, TimeProvider time)
    {
        _roots = roots;
        _time = time;
    }

    public int Count => _roots.Count;

    /// <summary>Parses a PEM bundle; throws <see cref="CryptographicException"/> when it holds no certificate.</summary>
    public static CertificateAuthority FromPem(string pem, TimeProvider time)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(pem);
        if (roots.Count == 0) throw new CryptographicException("no certificate found in the PEM bundle");
        return new CertificateAuthority(roots, time);
    }

    /// <returns>Null when the certificate verifies; otherwise why not, in Go's words.</returns>
    public string? Verify(X509Certificate2 leaf, X509Certificate2Collection? intermediates)
    {
        var now = _time.GetUtcNow();
        if (_verdicts.TryGetValue(leaf, out var cached) && cached.Until > now) return cached.Error;

        var error = Build(leaf, intermediates, now);
        var until = now + VerdictLifetime;
        if (error is null && leaf.NotAfter.ToUniversalTime() < until.UtcDateTime) until = leaf.NotAfter.ToUniversalTime();
        _verdicts.AddOrUpdate(leaf, new Verdict(error, until));
        return error;
    }

    private string? Build(X509Certificate2 leaf, X509Certificate2Collection? intermediates, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(_roots);
        if (intermediates is not null) policy.ExtraStore.AddRange(intermediates);
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = now.UtcDateTime;
        policy.ApplicationPolicy.Add(ClientAuth);
        if (chain.Build(leaf)) return null;

        var flags = X509ChainStatusFlags.NoError;
        foreach (var status in chain.ChainStatus) flags |= status.Status;
        var subject = $"verifying certificate {Describe(leaf)} failed: ";
        if ((flags & X509ChainStatusFlags.NotTimeValid) != 0)
        {
            return subject + $"x509: certificate has expired or is not yet valid: current time {now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} is outside {leaf.NotBefore.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ} to {leaf.NotAfter.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}";
        }
        if ((flags & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0)
        {
            return subject + "x509: certificate signed by unknown authority";
        }
        if ((flags & (X509ChainStatusFlags.NotValidForUsage | X509ChainStatusFlags.InvalidExtension)) != 0)
        {
            return subject + "x509: certificate specifies an incompatible key usage";
        }
        return subject + "x509: " + string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
    }

    /// <summary>Like kube-apiserver's certificateIdentifier: subject, issuer and serial, enough to find the certificate.</summary>
    private static string Describe(X509Certificate2 cert) =>
        $"SN={cert.SerialNumber}, CN={cert.GetNameInfo(X509NameType.SimpleName, forIssuer: false)}, issuer=\"{cert.Issuer}\"";

    private sealed record Verdict(string? Error, DateTimeOffset Until);
}
