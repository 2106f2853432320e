using KubeDiscovery.Graph.Applications;
using KubeDiscovery.Hosting;

namespace KubeDiscovery.Tests.Hosting;

/// <summary><c>--argocd-namespace</c>: where an Argo CD tracking id that names no namespace points.</summary>
public sealed class ArgoCdNamespaceTests
{
    [Fact]
    public async Task TrackedObjects_BelongToTheApplicationInTheNamespaceGiven()
    {
        var cache = (await IndexSource.OpenAsync(new SourceOptions { Demo = true, ArgoCdNamespace = "gitops" }, default)).Cache;

        ApplicationTopology.MemberRecords(cache.Index, new AppKey("argocd", "gitops", "guestbook")).Select(r => $"{r.Kind}/{r.Name}")
            .ShouldBe(["Deployment/guestbook-ui", "Service/guestbook-ui", "ConfigMap/feature-flags"]); // by namespace, then kind
        ApplicationTopology.MemberRecords(cache.Index, new AppKey("argocd", "argocd", "guestbook")).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("GitOps")]
    [InlineData("")]
    [InlineData("a/b")]
    public void ANameThatIsNoNamespace_IsRefused(string name) =>
        new SourceOptions { Demo = true, ArgoCdNamespace = name }.Validate().ShouldBe($"--argocd-namespace \"{name}\" is not a namespace name (lower-case letters, digits and '-', at most 63)");
}
