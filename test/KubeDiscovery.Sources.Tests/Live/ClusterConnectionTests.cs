using KubeDiscovery.Sources.Live;

namespace KubeDiscovery.Sources.Tests.Live;

public sealed class ClusterConnectionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kd-kubeconfig-").FullName;

    private string Write(string name, string server, string context, string? current = null)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {context}-cluster
              cluster:
                server: {server}
            users:
            - name: {context}-user
              user:
                token: t
            contexts:
            - name: {context}
              context:
                cluster: {context}-cluster
                user: {context}-user
            current-context: {current ?? context}
            """);
        return path;
    }

    private Func<string, string?> Environment(string? kubeconfig = null) => name => name switch
    {
        "KUBECONFIG" => kubeconfig,
        "HOME" => _directory,
        _ => null,
    };

    [Fact]
    public void ExplicitKubeconfig_WinsOverTheEnvironment()
    {
        var flag = Write("flag", "https://flag.example:6443", "a");
        var env = Write("env", "https://env.example:6443", "b");

        var (config, description) = ClusterConnection.Resolve(flag, null, Environment(env));

        config.Host.ShouldStartWith("https://flag.example:6443");
        description.ShouldContain("--kubeconfig");
    }

    [Fact]
    public void KubeconfigVariable_ListOfFiles_IsMergedFirstWins()
    {
        var first = Write("first", "https://first.example:6443", "one");
        var second = Write("second", "https://second.example:6443", "two");

        var (config, _) = ClusterConnection.Resolve(null, "two", Environment($"{first}{Path.PathSeparator}{second}"));

        config.Host.ShouldStartWith("https://second.example:6443");
        ClusterConnection.Resolve(null, null, Environment($"{first}{Path.PathSeparator}{second}")).Config.Host.ShouldStartWith("https://first.example:6443");
    }

    [Fact]
    public void DefaultFileInHome_IsUsedWhenNothingElseIsGiven()
    {
        Directory.CreateDirectory(Path.Combine(_directory, ".kube"));
        Write(Path.Combine(".kube", "config"), "https://home.example:6443", "home");

        ClusterConnection.Resolve(null, null, Environment()).Config.Host.ShouldStartWith("https://home.example:6443");
    }

    [Fact]
    public void NothingFound_ListsEveryPlaceTried_NeverFallsBackToLocalhost()
    {
        var error = Should.Throw<ClusterAccessException>(() => ClusterConnection.Resolve(null, null, Environment()));

        error.Message.ShouldContain("--kubeconfig (not given)");
        error.Message.ShouldContain("$KUBECONFIG (not set)");
        error.Message.ShouldContain(Path.Combine(_directory, ".kube", "config"));
        error.Message.ShouldContain("in-cluster service account");
        error.Message.ShouldNotContain("localhost:8080");
    }

    [Fact]
    public void MissingExplicitFile_SaysSo()
    {
        Should.Throw<ClusterAccessException>(() => ClusterConnection.Resolve(Path.Combine(_directory, "nope"), null, Environment()))
            .Message.ShouldContain("no such file");
    }

    [Fact]
    public void UnknownContext_NamesTheContextsThatExist()
    {
        var path = Write("config", "https://a.example:6443", "staging");

        Should.Throw<ClusterAccessException>(() => ClusterConnection.Resolve(path, "prod", Environment()))
            .Message.ShouldContain("--context \"prod\" does not exist (contexts: staging)");
    }

    [Fact]
    public void CurrentContextNamingNothing_IsAnError()
    {
        var path = Write("config", "https://a.example:6443", "staging", current: "gone");

        Should.Throw<ClusterAccessException>(() => ClusterConnection.Resolve(path, null, Environment()))
            .Message.ShouldContain("current-context \"gone\" does not exist");
    }

    [Fact]
    public void MalformedKubeconfig_IsAClearError()
    {
        var path = Path.Combine(_directory, "config");
        File.WriteAllText(path, "clusters: [unclosed");

        Should.Throw<ClusterAccessException>(() => ClusterConnection.Resolve(path, null, Environment()))
            .Message.ShouldStartWith($"--kubeconfig {path}:");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
