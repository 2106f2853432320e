using System.Text.Json.Serialization;

namespace KubeDiscovery.Api;

/// <summary>A <c>metav1.Status</c> failure, the body of every error (client-go needs kind and status to parse it).</summary>
internal sealed class KubeStatus
{
    public string Kind => "Status";
    public string ApiVersion => "v1";
    public EmptyObject Metadata { get; } = new();
    public string Status => "Failure";
    public required string Message { get; init; }
    public required string Reason { get; init; }
    public StatusDetails? Details { get; init; }
    public required int Code { get; init; }
}

internal sealed class StatusDetails
{
    public string? Name { get; init; }
    public string? Group { get; init; }
    /// <summary>Kubernetes puts the resource (not the kind) here.</summary>
    public string? Kind { get; init; }
    public IReadOnlyList<StatusCause>? Causes { get; init; }
    public int? RetryAfterSeconds { get; init; }
}

internal sealed record StatusCause(string Message);

/// <summary>Serialises as <c>{}</c>, for the empty <c>metadata</c> Kubernetes always sends.</summary>
internal sealed class EmptyObject;

/// <summary><c>/version</c>, in kube-apiserver's field names.</summary>
internal sealed record VersionInfo(
    string Major, string Minor, string GitVersion, string GitCommit, string GitTreeState,
    string BuildDate, string GoVersion, string Compiler, string Platform);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(KubeStatus))]
[JsonSerializable(typeof(VersionInfo))]
[JsonSerializable(typeof(DiscoveryModels.ApiGroupList))]
[JsonSerializable(typeof(DiscoveryModels.ApiGroup))]
[JsonSerializable(typeof(DiscoveryModels.ApiResourceList))]
[JsonSerializable(typeof(DiscoveryModels.ApiGroupDiscoveryList))]
internal sealed partial class ApiJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Escapes only what JSON requires (<c>\"</c>, not <c>\u0022</c>), like Go's encoder: answers are
    /// <c>application/json</c>, never embedded in HTML.
    /// </summary>
    public static ApiJsonContext Relaxed { get; } = new(new System.Text.Json.JsonSerializerOptions
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static System.Text.Json.JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // Two levels per tree level (the node and its children array), plus the envelope: trees as deep as
        // the builder's cap serialize whole instead of failing at the default 1,000.
        MaxDepth = (2 * KubeDiscovery.Graph.Compositions.CompositionOptions.DefaultDepthCap) + 16,
    };
}
