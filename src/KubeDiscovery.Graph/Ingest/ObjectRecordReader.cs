using System.Collections.Concurrent;
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

    // One set of rules for every path: the element's own UTF-8 bytes go through the token reader that
    // reads LIST pages (no string, no copy), so labels, owners, timestamps and errors never differ.
    private ObjectRecord ReadCore(JsonElement obj, ResourceType type, string apiVersion)
    {
        var reader = new Utf8JsonReader(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(obj));
        reader.Read();
        var plans = Plans;
        var scratch = new Extracted { Pool = Pool, Plans = plans };
        return ReadItem(ref reader, type, apiVersion, StatusRules.IsStatusFree(type.Group, type.Kind), plans, plans.For(type.Group, type.Kind), scratch);
    }

    private readonly ConcurrentDictionary<Applications.AppMarks, Applications.AppMarks> _marks = new();

    // The objects of one release carry the same marks: one instance each.
    private Applications.AppMarks? ShareMarks(Applications.AppMarks? marks) =>
        marks is null ? null : _marks.GetOrAdd(marks with
        {
            ArgoApp = marks.ArgoApp is null ? null : Pool.Intern(marks.ArgoApp),
            ArgoNamespace = marks.ArgoNamespace is null ? null : Pool.Intern(marks.ArgoNamespace),
            HelmRelease = marks.HelmRelease is null ? null : Pool.Intern(marks.HelmRelease),
            HelmNamespace = marks.HelmNamespace is null ? null : Pool.Intern(marks.HelmNamespace),
        }, static m => m);

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
