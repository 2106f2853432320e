using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using KubeDiscovery.Graph.Connections.Extraction;
using KubeDiscovery.Graph.Connections.Rules;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Graph.Status;

namespace KubeDiscovery.Graph.Ingest;

/// <summary>
/// Reads one Kubernetes object (as JSON, the wire format of every source) into a compact
/// <see cref="ObjectRecord"/>, validating what the index relies on. Only metadata, the status summary and
/// the paths of the kind's <see cref="ExtractionPlan"/> are read; everything else, a Secret's data
/// included, is never copied.
/// </summary>
public sealed partial class ObjectRecordReader(StringPool pool)
{
    private readonly ConcurrentDictionary<ObjectStatus, ObjectStatus> _statuses = new();

    public StringPool Pool { get; } = pool;

    /// <summary>Shares equal link sets between records.</summary>
    public LinkPool Links { get; } = new();

    /// <summary>Where the extraction plans come from; built-in relations only when unset.</summary>
    public RelationRegistry? Relations { get; set; }

    private ExtractionPlans Plans => Relations?.Current.Plans ?? ExtractionPlans.BuiltIn;

    /// <summary>
    /// The object's <c>apiVersion</c> and <c>kind</c>; throws when either is missing. Items of a typed
    /// list (<c>PodList</c>) carry neither, so the list's values come in as <paramref name="listDefaults"/>.
    /// </summary>
    public static (string ApiVersion, string Kind) ReadTypeMeta(JsonElement obj, (string ApiVersion, string Kind)? listDefaults = null)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidObjectException($"expected an object, found {Describe(obj.ValueKind)}");
        }
        if (listDefaults is { } d)
        {
            var k = OptionalString(obj, "kind", "kind");
            var v = OptionalString(obj, "apiVersion", "apiVersion");
            return (string.IsNullOrEmpty(v) ? d.ApiVersion : v, string.IsNullOrEmpty(k) ? d.Kind : k);
        }
        var kind = RequiredString(obj, "kind", "kind");
        var apiVersion = RequiredString(obj, "apiVersion", "apiVersion");
        return (apiVersion, kind);
    }

    public ObjectRecord Read(JsonElement obj, ResourceType type, (string ApiVersion, string Kind)? listDefaults = null)
    {
        var (apiVersion, _) = ReadTypeMeta(obj, listDefaults);
        return ReadCore(obj, type, apiVersion);
    }

    /// <summary>
    /// Reads an object served for <paramref name="type"/> at its version, whatever its own type meta
    /// says: a metadata-only answer calls every object <c>PartialObjectMetadata</c>.
    /// </summary>
    public ObjectRecord ReadAs(JsonElement obj, ResourceType type)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidObjectException($"expected an object, found {Describe(obj.ValueKind)}");
        }
        return ReadCore(obj, type, type.GroupVersion);
    }

    private ObjectRecord ReadCore(JsonElement obj, ResourceType type, string apiVersion)
    {
        if (!obj.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidObjectException("metadata is missing");
        }
        var name = RequiredString(metadata, "name", "metadata.name");
        var uid = RequiredString(metadata, "uid", "metadata.uid");
        var ns = OptionalString(metadata, "namespace", "metadata.namespace");
        if (type.Namespaced && string.IsNullOrEmpty(ns))
        {
            throw new InvalidObjectException($"metadata.namespace is required: {type} is namespaced");
        }
        if (!type.Namespaced) ns = null;

        var plans = Plans;
        var plan = plans.For(type.Group, type.Kind);
        var labels = ReadLabels(metadata);
        var links = plan.IsEmpty ? null : ExtractFromElement(obj, plan, labels).Build(plan, plans, ns, name, labels, Pool, Links);

        return new ObjectRecord(
            type,
            Pool.Intern(apiVersion),
            ns is null ? null : Pool.Intern(ns),
            name,
            uid,
            ReadTimestamp(metadata),
            ReadOwners(metadata),
            labels,
            Share(StatusRules.Summarize(type.Group, type.Kind, obj)),
            links);
    }

    // One walker for both paths: the element's text goes through the same token reader as a LIST page.
    private static Extracted ExtractFromElement(JsonElement obj, ExtractionPlan plan, IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        var found = new Extracted();
        if (plan.NotesLabel is { } notesLabel) found.NotesAllowed = labels.Any(l => l.Key == notesLabel);
        // The element's own UTF-8 bytes, read in place: no string, no copy.
        var reader = new Utf8JsonReader(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(obj));
        reader.Read();
        LinkWalker.Walk(ref reader, plan.Root, found);
        return found;
    }

    private static DateTimeOffset? ReadTimestamp(JsonElement metadata)
    {
        var text = OptionalString(metadata, "creationTimestamp", "metadata.creationTimestamp");
        if (string.IsNullOrEmpty(text)) return null;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            throw new InvalidObjectException($"metadata.creationTimestamp \"{text}\" is not an RFC 3339 time");
        }
        return time;
    }

    private IReadOnlyList<OwnerReference> ReadOwners(JsonElement metadata)
    {
        if (!metadata.TryGetProperty("ownerReferences", out var refs) || refs.ValueKind == JsonValueKind.Null) return [];
        if (refs.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidObjectException($"metadata.ownerReferences must be a list, found {Describe(refs.ValueKind)}");
        }
        var owners = new OwnerReference[refs.GetArrayLength()];
        var i = 0;
        foreach (var r in refs.EnumerateArray())
        {
            var at = $"metadata.ownerReferences[{i}]";
            if (r.ValueKind != JsonValueKind.Object) throw new InvalidObjectException($"{at} must be an object");
            owners[i++] = new OwnerReference(
                Pool.Intern(RequiredString(r, "apiVersion", at + ".apiVersion")),
                Pool.Intern(RequiredString(r, "kind", at + ".kind")),
                RequiredString(r, "name", at + ".name"),
                RequiredString(r, "uid", at + ".uid"),
                r.TryGetProperty("controller", out var c) && c.ValueKind == JsonValueKind.True);
        }
        return owners;
    }

    private IReadOnlyList<KeyValuePair<string, string>> ReadLabels(JsonElement metadata)
    {
        if (!metadata.TryGetProperty("labels", out var labels) || labels.ValueKind != JsonValueKind.Object) return [];
        List<KeyValuePair<string, string>> pairs = [];
        foreach (var label in labels.EnumerateObject())
        {
            var value = label.Value.ValueKind switch
            {
                JsonValueKind.String => label.Value.GetString() ?? "",
                JsonValueKind.Null => "",
                _ => label.Value.GetRawText(), // a YAML number or boolean a hand-written file forgot to quote
            };
            pairs.Add(new(Pool.Intern(label.Name), Pool.Intern(value)));
        }
        pairs.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return pairs.ToArray();
    }

    // Most objects share a handful of statuses ("True", "Pending"…): keep one instance of each.
    private ObjectStatus Share(ObjectStatus status) =>
        status.Ready == ReadyState.None && status.Reason is null ? ObjectStatus.None : _statuses.GetOrAdd(status, status);

    private static string RequiredString(JsonElement obj, string property, string path)
    {
        if (!obj.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new InvalidObjectException($"{path} is missing");
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new InvalidObjectException($"{path} must be a string, found {Describe(value.ValueKind)}");
        }
        var s = value.GetString()!;
        return s.Length > 0 ? s : throw new InvalidObjectException($"{path} is empty");
    }

    private static string? OptionalString(JsonElement obj, string property, string path)
    {
        if (!obj.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new InvalidObjectException($"{path} must be a string, found {Describe(value.ValueKind)}");
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
