using System.Collections.Concurrent;
using System.Diagnostics;
using KubeDiscovery.Observability;
using KubeDiscovery.Tests.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.Tests.Observability;

public sealed class TracingTests
{
    [Fact]
    public async Task ARequestCarryingTraceparent_ContinuesTheCallersTrace_DownToTheTreeBuilt()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is Tracing.SourceName or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = await InProcessServer.StartAsync(new FakeTimeProvider());

        using var request = new HttpRequestMessage(HttpMethod.Get, server.Url + "/apis/kubediscovery.io/v1/namespaces/shop/deployments/cart/compositions");
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpan}-01");
        (await server.Http.SendAsync(request)).EnsureSuccessStatusCode();

        Activity? incoming = null;
        var bound = Stopwatch.StartNew();
        while ((incoming = stopped.FirstOrDefault(a => a.TraceId == traceId && a.Source.Name == "Microsoft.AspNetCore")) is null)
        {
            bound.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), "the request's span never ended");
            await Task.Delay(10);
        }
        incoming.ParentSpanId.ShouldBe(callerSpan);
        var built = stopped.Single(a => a.TraceId == traceId && a.OperationName == "compositions.build");
        built.ParentSpanId.ShouldBe(incoming.SpanId);
        built.GetTagItem("kubediscovery.roots").ShouldBe(1);
    }

    [Theory]
    [InlineData(null, null, null, false)]
    [InlineData("http://collector:4317", null, null, true)]
    [InlineData("http://collector:4317", "true", null, false)]
    [InlineData("http://collector:4317", null, "none", false)]
    public void TracesAreExported_OnlyWhenTheEnvironmentNamesAnEndpoint(string? endpoint, string? disabled, string? exporter, bool expected)
    {
        var environment = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
            ["OTEL_SDK_DISABLED"] = disabled,
            ["OTEL_TRACES_EXPORTER"] = exporter,
        };

        Tracing.Requested(name => environment.GetValueOrDefault(name)).ShouldBe(expected);
    }
}
