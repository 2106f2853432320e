using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>
/// The server on the sample cluster, delegating TokenReviews and SubjectAccessReviews to a fake
/// kube-apiserver, and trusting the PKI's client CA and front proxy through flags.
/// </summary>
public class DelegatingDemoServer : ServerProcess
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kd-e2e-delegating-").FullName;

    public FakeKubeApiServer Cluster { get; private set; } = null!;

    private string KubeconfigPath => Path.Combine(_directory, "kubeconfig");

    protected override string[] SourceArgs =>
        ["--demo", "--authentication-kubeconfig", KubeconfigPath, "--authorization-kubeconfig", KubeconfigPath, "--authentication-skip-lookup", .. MoreArgs];

    protected virtual string[] MoreArgs => [];

    protected override async Task BeforeStartAsync()
    {
        Cluster = await FakeKubeApiServer.StartWithRecordingsAsync(withObjects: false);
        Cluster.WriteKubeconfig(KubeconfigPath);
    }

    /// <summary>A GET as kube-apiserver's front proxy sends it for <paramref name="user"/>: the proxy's client certificate and <c>X-Remote-User</c>.</summary>
    public async Task<(System.Net.HttpStatusCode Status, System.Text.Json.JsonElement Body)> GetAs(string user, string path)
    {
        using var client = ClusterPki.Client(Pki.FrontProxy);
        using var request = new HttpRequestMessage(HttpMethod.Get, Url + path);
        request.Headers.Add("X-Remote-User", user);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>The same, with <c>--hidden-children=omit</c>: nothing says hidden objects exist.</summary>
public sealed class OmittingDemoServer : DelegatingDemoServer
{
    protected override string[] MoreArgs => ["--hidden-children", "omit"];
}
