using KubeDiscovery.Security.Authorization;
using Microsoft.AspNetCore.Http;

namespace KubeDiscovery.Tests.Security.Authorization;

public sealed class RequestAttributesTests
{
    private static RequestAttributes For(string path, string method = "GET", string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        return RequestAttributes.From(context.Request, r => r is "deploy" or "deployment" or "deployments" ? "deployments" : r == "namespaces" ? "namespaces" : null);
    }

    [Fact]
    public void NamespacedComposition_IsAGetOfTheCompositionsSubresource_UnderThePlural()
    {
        var a = For("/apis/kubediscovery.io/v1/namespaces/default/deploy/nginx/compositions");
        a.ShouldBe(new RequestAttributes
        {
            Verb = "get",
            Path = "/apis/kubediscovery.io/v1/namespaces/default/deploy/nginx/compositions",
            IsResourceRequest = true,
            ApiGroup = "kubediscovery.io",
            ApiVersion = "v1",
            Namespace = "default",
            Resource = "deployments",
            Subresource = "compositions",
            Name = "nginx",
        });
        a.ForbiddenMessage("alice").ShouldBe("User \"alice\" cannot get resource \"deployments/compositions\" in API group \"kubediscovery.io\" in the namespace \"default\"");
    }

    [Fact]
    public void AllObjectsAcrossNamespaces_IsAGetNamedStar_AtClusterScope()
    {
        var a = For("/apis/kubediscovery.io/v1/deployments/*/compositions");
        (a.Verb, a.Namespace, a.Name, a.Resource).ShouldBe(("get", "", "*", "deployments"));
        a.ForbiddenMessage("bob").ShouldEndWith("at the cluster scope");
    }

    [Fact]
    public void NamespaceComposition_CarriesTheNamespace_AsKubeApiserverParsesIt()
    {
        var a = For("/apis/kubediscovery.io/v1/namespaces/default/compositions");
        (a.Namespace, a.Resource, a.Name).ShouldBe(("default", "compositions", ""));
    }

    [Theory]
    [InlineData("/apis/kubediscovery.io/v1")]
    [InlineData("/apis")]
    [InlineData("/readyz")]
    [InlineData("/openapi/v2")]
    public void DiscoveryAndHealth_AreNonResourceRequests(string path)
    {
        var a = For(path);
        a.IsResourceRequest.ShouldBeFalse();
        (a.Verb, a.Path).ShouldBe(("get", path));
        a.ForbiddenMessage("x").ShouldBe($"User \"x\" cannot get path \"{path}\"");
    }

    [Fact]
    public void LegacyEndpoint_IsAListOfComposition_AsKubeApiserverAuthorizesIt()
    {
        var a = For("/apis/kubediscovery.io/v1/composition", query: "?kind=Deployment&instance=nginx");
        (a.Verb, a.Resource, a.Name).ShouldBe(("list", "composition", ""));
    }

    [Theory]
    [InlineData("POST", "create")]
    [InlineData("DELETE", "delete")]
    [InlineData("PUT", "update")]
    [InlineData("PATCH", "patch")]
    public void Writes_MapToKubernetesVerbs(string method, string verb) =>
        For("/apis/kubediscovery.io/v1/namespaces/default/deployments/nginx/compositions", method).Verb.ShouldBe(verb);

    [Fact]
    public void WatchQuery_OnACollection_IsAWatch() =>
        For("/apis/kubediscovery.io/v1/composition", query: "?watch=true").Verb.ShouldBe("watch");
}
