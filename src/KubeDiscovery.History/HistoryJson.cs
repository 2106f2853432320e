using System.Text.Json.Serialization;
using KubeDiscovery.History.Recording;

namespace KubeDiscovery.History;

/// <summary>The small JSON columns of stored versions (managers, changed paths), source-generated.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IReadOnlyList<FieldManager>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(IReadOnlyCollection<string>))]
internal sealed partial class HistoryJson : JsonSerializerContext;
