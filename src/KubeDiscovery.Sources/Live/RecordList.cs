using System.Text.Json;
using System.Text.Json.Serialization;
using KubeDiscovery.Graph.Ingest;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Sources.Live;

/// <summary>
/// A LIST response read straight into records while KubernetesClient deserializes it, instead of into a
/// <see cref="JsonElement"/> that would then be read again: half the CPU of the first sync is building
/// that document. KubernetesClient gives no hook but the body type, so the reader and resource travel
/// in <see cref="Context"/>, which flows with the awaited call.
/// </summary>
[JsonConverter(typeof(RecordListConverter))]
internal sealed class RecordList(ListPage page)
{
    /// <summary>Set around each LIST call: what to read the page into.</summary>
    public static readonly AsyncLocal<(ObjectRecordReader Reader, ResourceType Type)?> Context = new();

    public ListPage Page { get; } = page;

    private sealed class RecordListConverter : JsonConverter<RecordList>
    {
        public override RecordList Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var (records, type) = Context.Value ?? throw new InvalidOperationException("RecordList is read only inside a reflector's LIST");
            return new RecordList(records.ReadListPage(ref reader, type));
        }

        public override void Write(Utf8JsonWriter writer, RecordList value, JsonSerializerOptions options) =>
            throw new NotSupportedException("RecordList is only read");
    }
}
