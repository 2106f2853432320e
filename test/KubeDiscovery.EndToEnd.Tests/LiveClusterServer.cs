using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>
/// The server following a fake kube-apiserver (seeded from the 1.19 recordings) through a kubeconfig,
/// exactly as it follows a real cluster.
/// </summary>
public class LiveClusterServer : ServerProcess
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kd-e2e-live-").FullName;

    public FakeKubeApiServer Cluster { get; private set; } = null!;

    protected string KubeconfigPath => Path.Combine(_directory, "kubeconfig");

    protected override string[] SourceArgs => ["--kubeconfig", KubeconfigPath];

    // A live server reads its CAs from the cluster's ConfigMap, as deployed.
    protected override string[] SecurityArgs => [];

    protected override async Task BeforeStartAsync()
    {
        Cluster = await FakeKubeApiServer.StartWithRecordingsAsync();
        Cluster.PublishAuthentication(TestPki.Pem(Pki.ClientCa), TestPki.Pem(Pki.FrontProxyCa), [ClusterPki.FrontProxyName]);
        Cluster.WriteKubeconfig(KubeconfigPath);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>The same, with the fake cluster's LISTs stalled until the test releases them.</summary>
public sealed class UnsyncedLiveClusterServer : LiveClusterServer
{
    protected override string StartedPath => "/livez";

    // -v 2 logs every answer, so a test can see kubectl being told to retry.
    protected override string[] SourceArgs => [.. base.SourceArgs, "-v", "2"];

    protected override async Task BeforeStartAsync()
    {
        await base.BeforeStartAsync();
        Cluster.Faults.StallLists = true;
    }
}
