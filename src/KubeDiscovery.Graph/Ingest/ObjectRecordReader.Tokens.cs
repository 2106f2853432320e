using System.Buffers;
using System.Globalization;
using System.Text.Json;
using KubeDiscovery.Graph.Connections.Extraction;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Graph.Status;

namespace KubeDiscovery.Graph.Ingest;

// Reading objects straight from their UTF-8 bytes, a whole LIST page or one watch event. Building a
// JsonDocument of a page costs 2.3× tokenising it, and most of an object (spec, managedFields,
// annotations) is never looked at: this reader tokenises once, skips what it does not need, and builds a
// small document only for `status`. Read/ReadAs come through here too, so every path has one set of rules.
public sealed partial class ObjectRecordReader
{
    /// <summary>
    /// Reads a <c>{Kind}List</c> or <c>PartialObjectMetadataList</c> of <paramref name="type"/>, positioned
    /// at its start. Items that cannot be read are left out, each with its error in <see cref="ListPage.Errors"/>;
    /// malformed JSON throws <see cref="JsonException"/>.
    /// </summary>
    public ListPage ReadListPage(ref Utf8JsonReader reader, ResourceType type)
    {
        if (reader.TokenType == JsonTokenType.None) reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("a list must be an object");
        List<ObjectRecord> items = [];
        List<string> errors = [];
        string? resourceVersion = null, continueToken = null;
        // What this kind's status rule reads: asked once per page, not per item.
        var statusFree = StatusRules.IsStatusFree(type.Group, type.Kind);
        var plans = Plans;
        var plan = plans.For(type.Group, type.Kind);
        var scratch = new Extracted { Pool = Pool, Plans = plans };
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("items"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null) continue;
                if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("items must be a list");
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        errors.Add($"expected an object, found {Describe(reader.TokenType)}");
                        reader.Skip();
                        continue;
                    }
                    var depth = reader.CurrentDepth;
                    try
                    {
                        items.Add(ReadItem(ref reader, type, type.GroupVersion, statusFree, plans, plan, scratch));
                    }
                    catch (InvalidObjectException e)
                    {
                        errors.Add(e.Message);
                        SkipTo(ref reader, depth);
                    }
                }
            }
            else if (reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("resourceVersion"u8)) resourceVersion = NextString(ref reader, "metadata.resourceVersion");
                    else if (reader.ValueTextEquals("continue"u8)) continueToken = NextString(ref reader, "metadata.continue");
                    else SkipValue(ref reader);
                }
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        return new ListPage(items, resourceVersion, continueToken, errors);
    }

    private ObjectRecord ReadItem(ref Utf8JsonReader reader, ResourceType type, string apiVersion, bool statusFree, ExtractionPlans plans, ExtractionPlan plan, Extracted scratch)
    {
        Metadata? metadata = null;
        JsonDocument? status = null;
        var found = plan.IsEmpty ? null : scratch.Reset();
        try
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("metadata"u8))
                {
                    reader.Read();
                    metadata = reader.TokenType == JsonTokenType.StartObject ? ReadMetadata(ref reader, plan.Metadata, found) : SkipAs<Metadata?>(ref reader, null);
                    if (found is not null)
                    {
                        if (plan.NotesLabel is { } notesLabel) found.NotesAllowed = metadata?.Labels?.Any(l => l.Key == notesLabel) == true;
                        found.ObjectNamespace = type.Namespaced ? metadata?.Namespace : "";
                    }
                }
                else if (!statusFree && reader.ValueTextEquals("status"u8))
                {
                    reader.Read();
                    status = JsonDocument.ParseValue(ref reader);
                }
                else if (found is not null && plan.Root.Find(ref reader) is { } node)
                {
                    reader.Read();
                    LinkWalker.Walk(ref reader, node, found);
                }
                else
                {
                    SkipValue(ref reader);
                }
            }
            if (metadata is not { } m) throw new InvalidObjectException("metadata is missing");
            if (m.Name is null) throw new InvalidObjectException("metadata.name is missing");
            if (m.Uid is null) throw new InvalidObjectException("metadata.uid is missing");
            var ns = m.Namespace;
            if (type.Namespaced && string.IsNullOrEmpty(ns))
            {
                throw new InvalidObjectException($"metadata.namespace is required: {type} is namespaced");
            }
            if (!type.Namespaced) ns = null;
            var summary = statusFree ? ObjectStatus.None
                : StatusRules.Summarize(type.Group, type.Kind, status?.RootElement ?? default, found?.Replicas);
            IReadOnlyList<KeyValuePair<string, string>> labels = m.Labels ?? (IReadOnlyList<KeyValuePair<string, string>>)[];
            var links = found?.Build(plan, plans, ns, m.Name, labels, Pool, Links);
            // Only an object nothing owns can be an application's member by its own marks (a ReplicaSet
            // carries its Deployment's annotations, and belongs to it anyway).
            var marks = m.Owners is { Length: > 0 } ? null : ShareMarks(Applications.AppMarks.From(m.TrackingId, m.HelmRelease, m.HelmNamespace));
            return new ObjectRecord(type, Pool.Intern(apiVersion), ns, m.Name, m.Uid, m.Created,
                m.Owners ?? (IReadOnlyList<OwnerReference>)[], labels, Share(summary), links, marks);
        }
        finally
        {
            status?.Dispose();
        }
    }

    private Metadata ReadMetadata(ref Utf8JsonReader reader, PathNode? plan, Extracted? found)
    {
        var m = new Metadata();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8)) m.Name = NonEmpty(NextString(ref reader, "metadata.name"), "metadata.name");
            else if (reader.ValueTextEquals("uid"u8)) m.Uid = NonEmpty(NextString(ref reader, "metadata.uid"), "metadata.uid");
            else if (reader.ValueTextEquals("namespace"u8)) m.Namespace = NextPooled(ref reader, "metadata.namespace");
            else if (reader.ValueTextEquals("creationTimestamp"u8)) m.Created = NextTimestamp(ref reader);
            else if (reader.ValueTextEquals("labels"u8)) m.Labels = ReadLabels(ref reader);
            else if (reader.ValueTextEquals("ownerReferences"u8)) m.Owners = ReadOwners(ref reader);
            else if (reader.ValueTextEquals("annotations"u8))
            {
                // A rule may read annotations too: the marks are read from a copy (the struct copies), and
                // the copy, now past the annotations, stands in for a skip when no rule does.
                var copy = reader;
                ReadMarks(ref copy, m);
                if (found is not null && plan?.Find(ref reader) is { } annotations)
                {
                    reader.Read();
                    LinkWalker.Walk(ref reader, annotations, found);
                }
                else
                {
                    reader = copy;
                }
            }
            else if (found is not null && plan?.Find(ref reader) is { } node)
            {
                reader.Read();
                LinkWalker.Walk(ref reader, node, found);
            }
            else SkipValue(ref reader);
        }
        return m;
    }

    // After the "annotations" property name: reads the deployment tools' marks (ApplicationMarkers) and
    // leaves the reader on the value's last token, as a skip would.
    private static void ReadMarks(ref Utf8JsonReader reader, Metadata m)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var which = reader.ValueTextEquals("argocd.argoproj.io/tracking-id"u8) ? 1
                : reader.ValueTextEquals("meta.helm.sh/release-name"u8) ? 2
                : reader.ValueTextEquals("meta.helm.sh/release-namespace"u8) ? 3 : 0;
            reader.Read();
            if (which == 0 || reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
                continue;
            }
            var value = reader.GetString();
            if (which == 1) m.TrackingId = value;
            else if (which == 2) m.HelmRelease = value;
            else m.HelmNamespace = value;
        }
    }

    private KeyValuePair<string, string>[]? ReadLabels(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        List<KeyValuePair<string, string>> pairs = [];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = Pooled(ref reader);
            reader.Read();
            var value = reader.TokenType switch
            {
                JsonTokenType.String => Pooled(ref reader),
                JsonTokenType.Null => "",
                _ => Pool.Intern(RawScalar(ref reader)), // a YAML number or boolean a hand-written file forgot to quote
            };
            pairs.Add(new(key, value));
        }
        pairs.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return pairs.ToArray();
    }

    private OwnerReference[]? ReadOwners(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new InvalidObjectException($"metadata.ownerReferences must be a list, found {Describe(reader.TokenType)}");
        }
        List<OwnerReference> owners = [];
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var at = $"metadata.ownerReferences[{owners.Count}]";
            if (reader.TokenType != JsonTokenType.StartObject) throw new InvalidObjectException($"{at} must be an object");
            string? apiVersion = null, kind = null, name = null, uid = null;
            var controller = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("apiVersion"u8)) apiVersion = NextPooled(ref reader, at + ".apiVersion");
                else if (reader.ValueTextEquals("kind"u8)) kind = NextPooled(ref reader, at + ".kind");
                else if (reader.ValueTextEquals("name"u8)) name = NextString(ref reader, at + ".name");
                else if (reader.ValueTextEquals("uid"u8)) uid = NextString(ref reader, at + ".uid");
                else if (reader.ValueTextEquals("controller"u8))
                {
                    reader.Read();
                    controller = reader.TokenType == JsonTokenType.True;
                }
                else SkipValue(ref reader);
            }
            owners.Add(new OwnerReference(
                Required(apiVersion, at + ".apiVersion"), Required(kind, at + ".kind"),
                Required(name, at + ".name"), Required(uid, at + ".uid"), controller));
        }
        return owners.ToArray();
    }

    private static DateTimeOffset? NextTimestamp(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new InvalidObjectException($"metadata.creationTimestamp must be a string, found {Describe(reader.TokenType)}");
        }
        // Kubernetes writes UTC with a Z; anything else takes the lenient path below, as Read does.
        if (!reader.HasValueSequence && reader.ValueSpan is [.., (byte)'Z'] && reader.TryGetDateTimeOffset(out var time)) return time.ToUniversalTime();
        var text = reader.GetString()!;
        if (text.Length == 0) return null;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time))
        {
            throw new InvalidObjectException($"metadata.creationTimestamp \"{text}\" is not an RFC 3339 time");
        }
        return time;
    }

    private static string? NextString(ref Utf8JsonReader reader, string path)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null => null,
            _ => throw new InvalidObjectException($"{path} must be a string, found {Describe(reader.TokenType)}"),
        };
    }

    private string? NextPooled(ref Utf8JsonReader reader, string path)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String => Pooled(ref reader),
            JsonTokenType.Null => null,
            _ => throw new InvalidObjectException($"{path} must be a string, found {Describe(reader.TokenType)}"),
        };
    }

    // Interns the current string or property name without allocating when it is already pooled.
    private string Pooled(ref Utf8JsonReader reader)
    {
        var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        if (length > 256) return Pool.Intern(reader.GetString()!);
        Span<char> buffer = stackalloc char[length];
        var written = reader.CopyString(buffer);
        return Pool.Intern(buffer[..written]);
    }

    private static string RawScalar(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            using var doc = JsonDocument.ParseValue(ref reader);
            return doc.RootElement.GetRawText();
        }
        return System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
    }

    private static string NonEmpty(string? value, string path) =>
        value is null ? throw new InvalidObjectException($"{path} is missing")
        : value.Length > 0 ? value : throw new InvalidObjectException($"{path} is empty");

    private static string Required(string? value, string path) => NonEmpty(value, path);

    // After a property name: skip its value, whatever it is.
    private static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }

    private static T SkipAs<T>(ref Utf8JsonReader reader, T value)
    {
        reader.Skip();
        return value;
    }

    // After a failed item, move to the end of that item (the reader stands somewhere inside it, or on its end).
    private static void SkipTo(ref Utf8JsonReader reader, int itemDepth)
    {
        while (!(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == itemDepth))
        {
            if (!reader.Read()) break;
        }
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "a list",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => "nothing",
    };

    private sealed class Metadata
    {
        public string? Name;
        public string? Uid;
        public string? Namespace;
        public DateTimeOffset? Created;
        public KeyValuePair<string, string>[]? Labels;
        public OwnerReference[]? Owners;
        public string? TrackingId;
        public string? HelmRelease;
        public string? HelmNamespace;
    }
}
