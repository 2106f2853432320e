using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeDiscovery.Sources.Live;

/// <summary>The documents read whole from kube-apiserver (an observed kind's list pages, Events), without reflection.</summary>
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class LiveJsonContext : JsonSerializerContext;
