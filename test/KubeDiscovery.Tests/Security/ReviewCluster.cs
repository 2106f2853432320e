using k8s;
using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.Tests.Security;

/// <summary>The kube-apiserver double, answering reviews, with a client of it as the server would have.</summary>
public sealed class ReviewCluster : IAsyncLifetime
{
    public FakeKubeApiServer Server { get; private set; } = null!;

    public FakeReviews Reviews => Server.Reviews;

    internal IKubernetes Client() => new Kubernetes(new KubernetesClientConfiguration
    {
        Host = Server.Url.GetLeftPart(UriPartial.Authority),
        AccessToken = Server.Token,
        SkipTlsVerify = true,
    });

    public async Task InitializeAsync() => Server = await FakeKubeApiServer.StartWithRecordingsAsync(withObjects: false);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
