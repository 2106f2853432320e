using System.Text.Json.Serialization;

namespace KubeDiscovery.Api;

/// <summary>The typed answers written with System.Text.Json, source-generated (reflection is off in this assembly).</summary>
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
