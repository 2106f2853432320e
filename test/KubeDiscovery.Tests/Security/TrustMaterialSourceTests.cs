using KubeDiscovery.Security;
using KubeDiscovery.Security.Authentication;
using KubeDiscovery.TestDoubles;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.Tests.Security;

public sealed class TrustMaterialSourceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kd-trust-").FullName;
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

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
        var clientCaFile = WriteCa("client-ca.crt", TestPki.Pem(oldCa), new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc));
        var proxyCaFile = WriteCa("proxy-ca.crt", TestPki.Pem(proxyCa), new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc));
        var options = new SecurityOptions { RequestHeaderAllowedNames = ["front-proxy-client"] };
        var source = new TrustMaterialSource(null,
            new CaBundleFile(clientCaFile, "--client-ca-file", _time), new CaBundleFile(proxyCaFile, "--requestheader-client-ca-file", _time),
            options, _time, NullLogger.Instance);
        var bob = pki.Issue(newCa, "bob");

        source.Current.RequestHeader!.AllowedNames.ShouldBe(["front-proxy-client"]);
        ClientCertificateAuthenticator.Authenticate(source.Current.ClientCa!, bob, null).Error!.ShouldContain("unknown authority");

        // A rotation writes the union of old and new, as kube-apiserver's own bundles do.
        WriteCa("client-ca.crt", TestPki.Bundle(oldCa, newCa), new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc));
        _time.Advance(TimeSpan.FromSeconds(31));
        ClientCertificateAuthenticator.Authenticate(source.Current.ClientCa!, bob, null).User!.Name.ShouldBe("bob");

        WriteCa("client-ca.crt", "-----BEGIN CERTIFICATE-----\ntruncated", new DateTime(2026, 11, 3, 0, 0, 0, DateTimeKind.Utc));
        _time.Advance(TimeSpan.FromSeconds(31));
        ClientCertificateAuthenticator.Authenticate(source.Current.ClientCa!, bob, null).User!.Name.ShouldBe("bob");
        source.Current.ShouldBeSameAs(source.Current); // nothing changed: no new material per request
    }
}
