using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>
/// The server on the sample cluster, delegating TokenReviews and SubjectAccessReviews to a fake
/// kube-apiserver, and trusting the PKI's client CA and front proxy through flags.
/// </summary>
public sealed class DelegatingDemoServer : ServerProcess
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kd-e2e-delegating-").FullName;

    public FakeKubeApiServer Cluster { get; private set; } = null!;

    private string KubeconfigPath => Path.Combine(_directory, "kubeconfig");

    protected override string[] SourceArgs =>
        ["--demo", "--authentication-kubeconfig", KubeconfigPath, "--authorization-kubeconfig", KubeconfigPath, "--authentication-skip-lookup"];

    protected override async Task BeforeStartAsync()
    {
        Cluster = await FakeKubeApiServer.StartWithRecordingsAsync(withObjects: false);
        Cluster.WriteKubeconfig(KubeconfigPath);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
