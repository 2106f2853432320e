namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>The kubediscovery command itself: help, bad usage and bad input.</summary>
public sealed class CommandLineTests : IDisposable
{
    // A kubeconfig or an empty HOME for the live-source tests.
    private readonly string _directory = Directory.CreateTempSubdirectory("kd-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Task<ProcessResult> Run(params string[] args) => ProcessRunner.RunAsync(ProcessRunner.ServerFile, ProcessRunner.Server(args));

    [Fact]
    public async Task Help_DocumentsEveryFlag()
    {
        var result = await Run("--help");

        result.ExitCode.ShouldBe(0);
        foreach (var flag in new[] { "--secure-port", "--bind-address", "--tls-cert-file", "--tls-private-key-file", "--snapshot", "--demo", "--kubeconfig", "--context", "--resources", "--exclude-resources", "-v", "--log-level",
            "--authentication-kubeconfig", "--authorization-kubeconfig", "--client-ca-file", "--requestheader-client-ca-file",
            "--requestheader-allowed-names", "--requestheader-username-headers", "--requestheader-group-headers",
            "--requestheader-extra-headers-prefix", "--requestheader-uid-headers", "--authentication-skip-lookup",
            "--authorization-always-allow-groups", "--authorization-always-allow-paths", "--cert-dir", "--hidden-children", "--relations", "--logging-format",
            "--max-requests-inflight", "--max-requests-inflight-per-user", "--argocd-namespace" })
        {
            result.Stdout.ShouldContain(flag);
        }
        // Durations are written as the flags take them (Go durations), never as .NET prints a TimeSpan.
        result.Stdout.ShouldNotContain("00:00:00");
        result.Stdout.ShouldContain("default 720h");
    }

    [Theory]
    [InlineData("--no-such-flag")]
    [InlineData("--secure-port", "http")]
    [InlineData("--secure-port", "0")]
    [InlineData("--bind-address", "not-an-ip")]
    [InlineData("--tls-cert-file", "only-the-cert.pem")]
    [InlineData("--demo", "--snapshot", "x.yaml")]
    [InlineData("--log-level", "loud")]
    [InlineData("--demo", "--logging-format", "xml")]
    [InlineData("--demo", "--requestheader-allowed-names", "front-proxy-client")]
    [InlineData("--demo", "--authorization-always-allow-paths", "healthz")]
    public async Task BadFlags_GiveAOneLineErrorAndExitCode2(params string[] args)
    {
        var result = await Run(args);

        result.ExitCode.ShouldBe(2);
        result.Stderr.TrimEnd('\n').ShouldNotContain('\n');
        result.Stderr.ShouldStartWith("kubediscovery: ");
    }

    [Fact]
    public async Task UnreadableClientCaFile_FailsAtStartNamingTheFlag()
    {
        var file = Path.Combine(_directory, "not-a-ca.crt");
        await File.WriteAllTextAsync(file, "hello");
        var result = await Run("--demo", "--client-ca-file", file, "--secure-port", "1");

        result.ExitCode.ShouldBe(1);
        result.Stderr.ShouldStartWith($"kubediscovery: --client-ca-file {file}: ");
    }

    [Fact]
    public async Task AuthenticationConfigMapForbidden_FailsAtStart_NamingTheRoleBindingToCreate()
    {
        await using var cluster = await KubeDiscovery.TestDoubles.FakeKubeApiServer.StartWithRecordingsAsync(withObjects: false);
        cluster.Faults.Forbid("configmaps");
        var kubeconfig = cluster.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"));
        var result = await Run("--kubeconfig", kubeconfig, "--secure-port", "1");

        result.ExitCode.ShouldBe(1);
        result.Stderr.ShouldContain("cannot read ConfigMap kube-system/extension-apiserver-authentication: 403");
        result.Stderr.ShouldContain("extension-apiserver-authentication-reader");
    }

    [Fact]
    public async Task MalformedSnapshot_FailsAtStartNamingTheFile()
    {
        var file = Path.Combine(Path.GetTempPath(), $"kubediscovery-bad-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, "apiVersion: v1\nmetadata: {name: x}\n");
        try
        {
            var result = await Run("--snapshot", file, "--secure-port", "1");

            result.ExitCode.ShouldBe(1);
            result.Stderr.ShouldContain($"{file}: document 1: kind is missing");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task UnreachableCluster_ExitsNonZeroAfterTheStartupTimeoutNamingTheServer()
    {
        // A loopback port nobody listens on.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var kubeconfig = Path.Combine(_directory, "config");
        await File.WriteAllTextAsync(kubeconfig, Kubeconfig($"https://127.0.0.1:{port}", "somewhere"));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await Run("--kubeconfig", kubeconfig, "--secure-port", "1");

        // The start-up timeout is 8 s; the bound proves it ends rather than hangs, with room for a busy machine.
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30));
        result.ExitCode.ShouldBe(1);
        result.Stderr.ShouldContain("cannot reach the cluster");
        result.Stderr.ShouldContain($"127.0.0.1:{port}");
    }

    [Fact]
    public async Task UnknownContext_ExitsNonZeroListingTheContextsThereAre()
    {
        var kubeconfig = Path.Combine(_directory, "config");
        await File.WriteAllTextAsync(kubeconfig, Kubeconfig("https://127.0.0.1:6443", "staging"));

        var result = await Run("--kubeconfig", kubeconfig, "--context", "prod", "--secure-port", "1");

        result.ExitCode.ShouldBe(1);
        result.Stderr.ShouldContain("--context \"prod\" does not exist (contexts: staging)");
    }

    [Fact]
    public async Task NoClusterConfigurationAnywhere_SaysWhereItLookedAndSuggestsTheDemo()
    {
        var result = await ProcessRunner.RunAsync(ProcessRunner.ServerFile, ProcessRunner.Server("--secure-port", "1"),
            env: new Dictionary<string, string?> { ["HOME"] = _directory, ["KUBECONFIG"] = null, ["KUBERNETES_SERVICE_HOST"] = null });

        result.ExitCode.ShouldBe(1);
        result.Stderr.ShouldContain("no cluster configuration found");
        result.Stderr.ShouldContain("$KUBECONFIG (not set)");
        result.Stderr.ShouldContain(Path.Combine(_directory, ".kube", "config"));
        result.Stderr.ShouldContain("--demo");
    }

    [Theory]
    [InlineData("--demo", "--kubeconfig", "/tmp/config")]
    [InlineData("--snapshot", "x.yaml", "--context", "prod")]
    [InlineData("--demo", "--resources", "pods")]
    [InlineData("--resources", "pods,,deployments")]
    public async Task LiveFlags_WithASnapshotOrMalformed_AreUsageErrors(params string[] args)
    {
        var result = await Run(args);

        result.ExitCode.ShouldBe(2);
        result.Stderr.TrimEnd('\n').ShouldNotContain('\n');
    }

    private static string Kubeconfig(string server, string context) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster:
            server: {server}
            insecure-skip-tls-verify: true
        users:
        - name: u
          user:
            token: t
        contexts:
        - name: {context}
          context:
            cluster: c
            user: u
        current-context: {context}
        """;
}
