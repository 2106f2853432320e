using KubeDiscovery.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeDiscovery.Tests.Api;

public sealed class KubernetesErrorsMiddlewareTests
{
    /// <summary>A response whose headers can be marked as sent, and that records an abort.</summary>
    private sealed class Response : HttpResponseFeature, IHttpRequestLifetimeFeature
    {
        public bool Started { get; set; }
        public override bool HasStarted => Started;
        public bool Aborted { get; private set; }
        public CancellationToken RequestAborted { get; set; }
        public void Abort() => Aborted = true;
    }

    private static (DefaultHttpContext Context, Response Feature) Context()
    {
        var feature = new Response { Body = new MemoryStream() };
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpResponseFeature>(feature);
        context.Features.Set<IHttpRequestLifetimeFeature>(feature);
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(feature.Body));
        return (context, feature);
    }

    [Fact]
    public async Task FailureAfterTheAnswerStarted_AbortsTheResponse_InsteadOfAppendingAStatus()
    {
        var (context, feature) = Context();
        var middleware = new KubernetesErrorsMiddleware(async c =>
        {
            await c.Response.Body.WriteAsync("{\"kind\":\"CompositionList\",\"items\":["u8.ToArray());
            feature.Started = true;
            throw new InvalidOperationException("the writer failed half way");
        }, NullLogger<KubernetesErrorsMiddleware>.Instance);

        await middleware.InvokeAsync(context);

        feature.Aborted.ShouldBeTrue();
        System.Text.Encoding.UTF8.GetString(((MemoryStream)feature.Body).ToArray()).ShouldNotContain("Status");
    }

    [Fact]
    public async Task FailureBeforeTheAnswer_IsA500Status()
    {
        var (context, feature) = Context();
        var middleware = new KubernetesErrorsMiddleware(_ => throw new InvalidOperationException("broken"), NullLogger<KubernetesErrorsMiddleware>.Instance);

        await middleware.InvokeAsync(context);

        feature.Aborted.ShouldBeFalse();
        context.Response.StatusCode.ShouldBe(500);
        System.Text.Encoding.UTF8.GetString(((MemoryStream)feature.Body).ToArray()).ShouldContain("\"kind\":\"Status\"");
    }
}
