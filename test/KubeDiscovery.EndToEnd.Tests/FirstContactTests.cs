using System.Net;
using System.Net.Sockets;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>The demo started as the README's quick start says: no security flags at all.</summary>
public sealed class PlainDemoServer : ServerProcess
{
    private readonly HttpClient _anonymous = ClusterPki.Client(null);

    public string CertDir { get; } = Directory.CreateTempSubdirectory("kd-e2e-certdir-").FullName;

    public string Kubeconfig => Path.Combine(CertDir, "kubeconfig");

    protected override string[] SourceArgs => ["--demo", "--cert-dir", CertDir];

    protected override string[] SecurityArgs => [];

    protected override HttpClient ProbeClient => _anonymous;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _anonymous.Dispose();
        Directory.Delete(CertDir, recursive: true);
    }
}

public sealed class FirstContactTests(PlainDemoServer server) : IClassFixture<PlainDemoServer>
{
    [Fact]
    public async Task Demo_WritesAKubeconfig_ThatPlainKubectlUses_WithTheServerCertificateVerified()
    {
        server.Output.ShouldContain($"export KUBECONFIG={server.Kubeconfig}");
        if (!OperatingSystem.IsWindows()) (File.GetUnixFileMode(server.Kubeconfig) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)).ShouldBe(UnixFileMode.None);

        // No --insecure-skip-tls-verify, no --token: the kubeconfig carries the server's certificate and an admin's.
        var result = await ProcessRunner.RunAsync("kubectl", ["get", "--raw", "/apis/kubediscovery.io/v1/namespaces/shop/deployments/cart/compositions?format=tree"],
            env: new Dictionary<string, string?> { ["KUBECONFIG"] = server.Kubeconfig, ["HOME"] = server.CertDir });

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain("Deployment/cart");
    }

    [Fact]
    public async Task AKubeconfigWithAToken_TheUsualKind_IsServed_ForNoOneCanReviewTheToken()
    {
        var result = await server.KubectlWith(["--token=a-token-from-some-cluster"], "get", "compositions", "-n", "shop", "-o", "name");

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain("composition.kubediscovery.io/deployment.cart");
        server.Output.ShouldContain("a bearer token (no one can review it) is ignored");
    }

    [Fact]
    public void Demo_ListensOnLoopbackOnly_AndSaysSo()
    {
        server.Output.ShouldContain($"Serving https://127.0.0.1:{server.Port} ");
        server.Output.ShouldContain("Serving 127.0.0.1 only");
    }
}

public sealed class StartFailureTests
{
    private static Task<ProcessResult> Run(params string[] args) => ProcessRunner.RunAsync(ProcessRunner.ServerFile, ProcessRunner.Server(args));

    [Fact]
    public async Task PortInUse_IsOneClearLine_WithoutAStackTrace()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var certDir = Directory.CreateTempSubdirectory("kd-e2e-busy-").FullName;
        try
        {
            var result = await Run("--demo", "--secure-port", port.ToString(), "--cert-dir", certDir);

            result.ExitCode.ShouldBe(1);
            result.Stderr.ShouldBe($"kubediscovery: cannot listen on 127.0.0.1:{port}: the address is already in use (choose another with --secure-port)\n");
            result.Stdout.ShouldNotContain("Exception");
            Directory.EnumerateFileSystemEntries(certDir).ShouldBeEmpty(); // nothing written for a server that did not start
        }
        finally
        {
            Directory.Delete(certDir, recursive: true);
        }
    }

    [Theory]
    [InlineData("--secure-port", "abc", "--secure-port must be a port number (1-65535), not \"abc\"")]
    [InlineData("-v", "loud", "must be a verbosity level (0-10), not \"loud\"")]
    public async Task NonNumericNumber_SaysWhatTheFlagWants_NotTheClrType(string flag, string value, string says)
    {
        var result = await Run("--demo", flag, value);

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain(says);
        result.Stderr.ShouldNotContain("System.Int32");
    }

    [Fact]
    public async Task EmptySnapshotFile_IsAnErrorNamingTheFile()
    {
        var file = Path.Combine(Path.GetTempPath(), $"kd-empty-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, "");
        try
        {
            var result = await Run("--snapshot", file, "--secure-port", "1");

            result.ExitCode.ShouldBe(1);
            result.Stderr.ShouldContain($"{file}: the file is empty");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
