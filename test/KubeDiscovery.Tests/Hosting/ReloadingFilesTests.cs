using System.Security.Cryptography.X509Certificates;
using KubeDiscovery.Hosting;
using KubeDiscovery.TestDoubles;
using KubeDiscovery.Tls;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.Tests.Hosting;

public sealed class ReloadingFilesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kd-serving-").FullName;
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // File stamps from the test's clock: only their order matters (a changed file has a later one).
    private DateTime Stamp(int days) => _time.GetUtcNow().UtcDateTime.AddDays(days);

    private (string Cert, string Key) Write(string commonName, DateTime stamp)
    {
        var (cert, key) = TestPki.WritePem(new TestPki(_time).Issue(new TestPki(_time).CreateCa("serving-ca"), commonName, usages: [TestPki.ServerAuth]), _directory, "tls");
        File.SetLastWriteTimeUtc(cert, stamp);
        File.SetLastWriteTimeUtc(key, stamp);
        return (cert, key);
    }

    [Fact]
    public void RenewedServingCertificate_IsServedAfterTheNextCheck_AndABrokenRenewalKeepsTheLastGoodOne()
    {
        var (cert, key) = Write("first", Stamp(-3));
        string? failure = null;
        var files = new ReloadingFiles<X509Certificate2>([cert, key], () => ServingCertificates.Load(cert, key), _time) { ReloadFailed = e => failure = e };
        files.Current.Subject.ShouldBe("CN=first");

        Write("second", Stamp(-2));
        files.Current.Subject.ShouldBe("CN=first"); // not checked again yet
        _time.Advance(TimeSpan.FromSeconds(31));
        files.Current.Subject.ShouldBe("CN=second");

        File.WriteAllText(key, "half-written");
        File.SetLastWriteTimeUtc(key, Stamp(-1));
        _time.Advance(TimeSpan.FromSeconds(31));
        files.Current.Subject.ShouldBe("CN=second");
        failure.ShouldNotBeNull();
    }
}
