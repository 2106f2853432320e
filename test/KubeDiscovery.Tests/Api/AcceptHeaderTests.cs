using KubeDiscovery.Api;
using Microsoft.AspNetCore.Http;

namespace KubeDiscovery.Tests.Api;

/// <summary>Content negotiation as kube-apiserver does it, including Kubernetes' <c>as=</c> object shapes.</summary>
public sealed class AcceptHeaderTests
{
    private static HttpRequest Request(string? accept)
    {
        var context = new DefaultHttpContext();
        if (accept is not null) context.Request.Headers.Accept = accept;
        return context.Request;
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("application/json", true)]
    [InlineData("*/*", true)]
    [InlineData("application/*", true)]
    [InlineData("application/yaml, application/json;q=0.5", true)]
    [InlineData("application/yaml", false)]
    [InlineData("application/vnd.kubernetes.protobuf", false)]
    [InlineData("application/json;as=Table;g=meta.k8s.io;v=v1", false)] // a Table only, which this check does not serve
    [InlineData("application/json;as=Table;g=meta.k8s.io;v=v1, application/json", true)] // kubectl's fallback
    [InlineData("not a media type;;;", false)]
    public void Json_IsAcceptable_UnlessTheClientAsksOnlyForSomethingElse(string? accept, bool expected)
    {
        AcceptHeader.Allows(Request(accept), "application/json").ShouldBe(expected);
    }

    [Theory]
    [InlineData("application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json", true)]
    [InlineData("application/json;as=Table;v=v1beta1;g=meta.k8s.io", true)]
    [InlineData("application/json;as=Table;v=v2;g=meta.k8s.io", false)]
    [InlineData("application/json;as=Table;v=v1;g=example.com", false)]
    [InlineData("application/json", false)]
    public void Table_IsWhatKubectlGetAsksFor(string accept, bool expected)
    {
        AcceptHeader.WantsTable(Request(accept)).ShouldBe(expected);
    }

    [Theory]
    [InlineData("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json", "v2")]
    [InlineData("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json", "v2beta1")]
    [InlineData("application/json", null)]
    public void AggregatedDiscovery_PrefersV2(string accept, string? expected)
    {
        AcceptHeader.AggregatedDiscoveryVersion(Request(accept)).ShouldBe(expected);
    }
}
