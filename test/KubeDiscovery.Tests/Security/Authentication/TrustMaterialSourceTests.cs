using KubeDiscovery.Security;
using KubeDiscovery.Security.Authentication;
using KubeDiscovery.TestDoubles;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.Tests.Security.Authentication;

public sealed class TrustMaterialSourceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kd-trust-").FullName;
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // File stamps from the test's clock: only their order matters (a changed file has a later one).
    private DateTime Stamp(int days) => _time.GetUtcNow().UtcDateTime.AddDays(days);

    private string WriteCa(string name, string pem, DateTime stamp)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, pem);
        File.SetLastWriteTimeUtc(path, stamp);
        return path;
    }

    [Fact]
    public void CaFilesGivenByFlag_AreReReadWhenTheyChange_AndABrokenRewriteKeepsTheLastGoodOne()
    {
        var pki = new TestPki(_time);
        var oldCa = pki.CreateCa("old-client-ca");
        var newCa = pki.CreateCa("new-client-ca");
        var proxyCa = pki.CreateCa("front-proxy-ca");
        var clientCaFile = WriteCa("client-ca.crt", TestPki.Pem(oldCa), Stamp(-3));
        var proxyCaFile = WriteCa("proxy-ca.crt", TestPki.Pem(proxyCa), Stamp(-3));
        var options = new SecurityOptions { RequestHeaderAllowedNames = ["front-proxy-client"] };
        var source = new TrustMaterialSource(null,
            new CaBundleFile(clientCaFile, "--client-ca-file", _time), new CaBundleFile(proxyCaFile, "--requestheader-client-ca-file", _time),
            options, _time, NullLogger.Instance);
        var bob = pki.Issue(newCa, "bob");

        source.Current.RequestHeader!.AllowedNames.ShouldBe(["front-proxy-client"]);
        ClientCertificateAuthenticator.Authenticate(source.Current.ClientCa!, bob, null).Error!.ShouldContain("unknown authority");

        // A rotation writes the union of old and new, as kube-apiserver's own bundles do.
        WriteCa("client-ca.crt", TestPki.Bundle(oldCa, newCa), Stamp(-2));
        _time.Advance(TimeSpan.FromSeconds(31));
        ClientCertificateAuthenticator.Authenticate(source.Current.ClientCa!, bob, null).User!.Name.ShouldBe("bob");

        WriteCa("client-ca.crt", "-----BEGIN CERTIFICATE-----\ntruncated", Stamp(-1));
        _time.Advance(TimeSpan.FromSeconds(31));
        ClientCertificateAuthenticator.Authenticate(source.Current.ClientCa!, bob, null).User!.Name.ShouldBe("bob");
        source.Current.ShouldBeSameAs(source.Current); // nothing changed: no new material per request
    }
}
