using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>The server following a fake cluster and recording its history into a SQLite file of its own.</summary>
public class HistoryClusterServer : LiveClusterServer
{
    public string HistoryDirectory { get; } = Directory.CreateTempSubdirectory("kd-e2e-history-").FullName;

    public string DatabasePath => Path.Combine(HistoryDirectory, "history.db");

    protected override string[] SourceArgs => [.. base.SourceArgs, "--history-db", DatabasePath];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(HistoryDirectory, recursive: true);
    }
}

/// <summary>The same, for a test class that restarts it.</summary>
public sealed class RestartableHistoryServer : HistoryClusterServer;

/// <summary>A server following a cluster it does not own, recording into a history database given to it (a replica).</summary>
public sealed class ReplicaServer(string kubeconfig, string historyDb) : ServerProcess
{
    protected override string[] SourceArgs => ["--kubeconfig", kubeconfig, "--history-db", historyDb];

    protected override string[] SecurityArgs => [];
}

/// <summary>One fake cluster, one PostgreSQL and two servers recording that cluster into it, as two replicas of a Deployment do.</summary>
public sealed class TwoReplicas : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kd-e2e-replicas-").FullName;

    public FakeKubeApiServer Cluster { get; private set; } = null!;

    public PostgresServer Postgres { get; private set; } = null!;

    public string Database { get; private set; } = "";

    public ReplicaServer First { get; private set; } = null!;

    public ReplicaServer Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Postgres = await PostgresServer.StartAsync();
        Database = await Postgres.NewDatabaseAsync();
        Cluster = await FakeKubeApiServer.StartWithRecordingsAsync();
        var kubeconfig = Cluster.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"));
        First = new ReplicaServer(kubeconfig, Database);
        Second = new ReplicaServer(kubeconfig, Database);
        // Both replicas trust both test PKIs' clients, as replicas behind one APIService trust the cluster's.
        Cluster.PublishAuthentication(TestPki.Pem(First.Pki.ClientCa) + TestPki.Pem(Second.Pki.ClientCa), TestPki.Pem(First.Pki.FrontProxyCa), [ClusterPki.FrontProxyName]);
        await First.InitializeAsync();
        await Second.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
        await Cluster.DisposeAsync();
        await Postgres.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
