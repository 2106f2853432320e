using System.Security.Cryptography.X509Certificates;
using KubeDiscovery.Security.Authentication;
using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.Tests.Security;

public sealed class CertificateAuthorityTests
{
    private static readonly X509Certificate2 Ca = TestPki.CreateCa("test-ca");
    private static readonly X509Certificate2 OtherCa = TestPki.CreateCa("other-ca");

    private static CertificateAuthority Authority() => new([Ca], TimeProvider.System);

    [Fact]
    public void Verify_ClientCertificateFromTheCa_Passes() =>
        Authority().Verify(TestPki.Issue(Ca, "alice"), null).ShouldBeNull();

    [Fact]
    public void Verify_CertificateWithoutExtendedKeyUsage_Passes_AsGoAcceptsIt() =>
        Authority().Verify(TestPki.Issue(Ca, "alice", usages: []), null).ShouldBeNull();

    [Fact]
    public void Verify_CertificateFromAnotherCa_IsSignedByUnknownAuthority() =>
        Authority().Verify(TestPki.Issue(OtherCa, "alice"), null)!.ShouldContain("x509: certificate signed by unknown authority");

    [Fact]
    public void Verify_ExpiredCertificate_IsRejected() =>
        Authority().Verify(TestPki.Issue(Ca, "alice", notBefore: DateTimeOffset.UtcNow.AddDays(-10), notAfter: DateTimeOffset.UtcNow.AddDays(-1)), null)!
            .ShouldContain("certificate has expired or is not yet valid");

    [Fact]
    public void Verify_ServerOnlyCertificate_HasIncompatibleKeyUsage() =>
        Authority().Verify(TestPki.Issue(Ca, "alice", usages: [TestPki.ServerAuth]), null)!.ShouldContain("incompatible key usage");

    [Fact]
    public void Verify_LeafOfAnIntermediate_PassesOnlyWhenTheIntermediateIsPresented()
    {
        var intermediate = TestPki.CreateIntermediate(Ca, "intermediate");
        var leaf = TestPki.Issue(intermediate, "alice");
        new CertificateAuthority([Ca], TimeProvider.System).Verify(leaf, null)!.ShouldContain("unknown authority");
        new CertificateAuthority([Ca], TimeProvider.System).Verify(leaf, [intermediate]).ShouldBeNull();
    }

    [Fact]
    public void FromPem_WithoutCertificates_Throws() =>
        Should.Throw<System.Security.Cryptography.CryptographicException>(() => CertificateAuthority.FromPem("not a certificate", TimeProvider.System));
}
