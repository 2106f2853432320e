using System.Security.Cryptography.X509Certificates;
using KubeDiscovery.Security.Authentication;
using KubeDiscovery.TestDoubles;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.Tests.Security.Authentication;

public sealed class CertificateAuthorityTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly TestPki _pki;
    private readonly X509Certificate2 Ca;
    private readonly X509Certificate2 OtherCa;

    public CertificateAuthorityTests()
    {
        _pki = new TestPki(_time);
        Ca = _pki.CreateCa("test-ca");
        OtherCa = _pki.CreateCa("other-ca");
    }

    private CertificateAuthority Authority() => new([Ca], _time);

    [Fact]
    public void Verify_ClientCertificateFromTheCa_Passes() =>
        Authority().Verify(_pki.Issue(Ca, "alice"), null).ShouldBeNull();

    [Fact]
    public void Verify_CertificateWithoutExtendedKeyUsage_Passes_AsGoAcceptsIt() =>
        Authority().Verify(_pki.Issue(Ca, "alice", usages: []), null).ShouldBeNull();

    [Fact]
    public void Verify_CertificateFromAnotherCa_IsSignedByUnknownAuthority() =>
        Authority().Verify(_pki.Issue(OtherCa, "alice"), null)!.ShouldContain("x509: certificate signed by unknown authority");

    [Fact]
    public void Verify_ExpiredCertificate_IsRejected() =>
        Authority().Verify(_pki.Issue(Ca, "alice", notBefore: _pki.Now.AddDays(-10), notAfter: _pki.Now.AddDays(-1)), null)!
            .ShouldContain("certificate has expired or is not yet valid");

    [Fact]
    public void Verify_ServerOnlyCertificate_HasIncompatibleKeyUsage() =>
        Authority().Verify(_pki.Issue(Ca, "alice", usages: [TestPki.ServerAuth]), null)!.ShouldContain("incompatible key usage");

    [Fact]
    public void Verify_LeafOfAnIntermediate_PassesOnlyWhenTheIntermediateIsPresented()
    {
        var intermediate = _pki.CreateIntermediate(Ca, "intermediate");
        var leaf = _pki.Issue(intermediate, "alice");
        new CertificateAuthority([Ca], _time).Verify(leaf, null)!.ShouldContain("unknown authority");
        new CertificateAuthority([Ca], _time).Verify(leaf, [intermediate]).ShouldBeNull();
    }

    [Fact]
    public void FromPem_WithoutCertificates_Throws() =>
        Should.Throw<System.Security.Cryptography.CryptographicException>(() => CertificateAuthority.FromPem("not a certificate", _time));
}
