namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>The kubediscovery command itself: help, bad usage and bad input.</summary>
public sealed class CommandLineTests
{
    private static Task<ProcessResult> Run(params string[] args) => ProcessRunner.RunAsync("dotnet", ProcessRunner.Server(args));

    [Fact]
    public async Task Help_DocumentsEveryFlag()
    {
        var result = await Run("--help");

        result.ExitCode.ShouldBe(0);
        foreach (var flag in new[] { "--secure-port", "--bind-address", "--tls-cert-file", "--tls-private-key-file", "--snapshot", "--demo", "--kubeconfig", "-v", "--log-level" })
        {
            result.Stdout.ShouldContain(flag);
        }
    }

    [Theory]
    [InlineData("--no-such-flag")]
    [InlineData("--secure-port", "http")]
    [InlineData("--secure-port", "0")]
    [InlineData("--bind-address", "not-an-ip")]
    [InlineData("--tls-cert-file", "only-the-cert.pem")]
    [InlineData("--demo", "--snapshot", "x.yaml")]
    [InlineData("--log-level", "loud")]
    public async Task BadFlags_GiveAOneLineErrorAndExitCode2(params string[] args)
    {
        var result = await Run(args);

        result.ExitCode.ShouldBe(2);
        result.Stderr.TrimEnd('\n').ShouldNotContain('\n');
        result.Stderr.ShouldStartWith("kubediscovery: ");
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
    public async Task Kubeconfig_IsReservedForTheLiveSource_AndSaysSo()
    {
        var result = await Run("--kubeconfig", "/tmp/config");

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("live cluster source is not available");
    }
}
