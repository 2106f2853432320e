using System.Diagnostics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace KubeDiscovery.Observability;

/// <summary>
/// Spans for the work behind an answer (building a tree or a graph, asking kube-apiserver for a review),
/// under the request's span that ASP.NET Core starts from the incoming <c>traceparent</c> — so a trace
/// that kube-apiserver began continues here. Exported over OTLP only when the standard <c>OTEL_*</c>
/// variables name an endpoint; otherwise nothing listens and a span costs nothing.
/// </summary>
internal static class Tracing
{
    public const string SourceName = "KubeDiscovery";

    public static readonly ActivitySource Source = new(SourceName, typeof(Tracing).Assembly.GetName().Version?.ToString());

    /// <summary>Whether the environment asks for traces: an OTLP endpoint is set and the SDK is not disabled.</summary>
    public static bool Requested(Func<string, string?> environment)
    {
        if (string.Equals(environment("OTEL_SDK_DISABLED"), "true", StringComparison.OrdinalIgnoreCase)) return false;
        if (string.Equals(environment("OTEL_TRACES_EXPORTER"), "none", StringComparison.OrdinalIgnoreCase)) return false;
        return !string.IsNullOrEmpty(environment("OTEL_EXPORTER_OTLP_ENDPOINT"))
            || !string.IsNullOrEmpty(environment("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
    }

    /// <summary>Adds the OTLP trace exporter; the exporter reads its endpoint, headers and protocol from <c>OTEL_*</c>.</summary>
    public static void AddExporter(IServiceCollection services, Func<string, string?> environment)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(environment("OTEL_SERVICE_NAME") ?? "kubediscovery"))
            .WithTracing(tracing => tracing
                .AddSource(SourceName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
    }
}
