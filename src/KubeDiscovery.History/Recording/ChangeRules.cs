using System.Text.Json.Nodes;
using KubeDiscovery.History.Diffs;

namespace KubeDiscovery.History.Recording;

public enum ChangeKind
{
    Created,
    Updated,
    Deleted,

    /// <summary>Not a version: the span in which changes were not recorded (the recorder could not keep up, or the store was away).</summary>
    Gap,
}

/// <summary>
/// A version worth keeping: what kind of change, the paths it touched (for people), the JSON Patch from
/// the previous kept version, and who made it as far as <c>metadata.managedFields</c> tells.
/// </summary>
public sealed record MeaningfulChange(ChangeKind Kind, IReadOnlyList<string> ChangedPaths, IReadOnlyList<PatchOperation> Patch, IReadOnlyList<FieldManager> Managers)
{
    /// <summary>The new version as history keeps it (<see cref="ChangeRules.Normalize"/>), for the next comparison.</summary>
    public JsonObject? Normalized { get; init; }
}

/// <summary>One entry of <c>metadata.managedFields</c> that is new in this version: who wrote, how, and when.</summary>
public sealed record FieldManager(string Manager, string Operation, string? Time);

/// <summary>
/// Which versions of an object history keeps, and in what form. A version is kept when its content moved:
/// creation, deletion, and any update whose object differs once status and bookkeeping are set aside —
/// for kinds with <c>metadata.generation</c> that is a spec change (the same test, since generation moves
/// with the spec), for ConfigMaps, Services, RBAC and the like any change of their data, and for every kind
/// a change of labels or annotations. Status-only updates, resourceVersion and managedFields moving, and
/// annotations that churn without meaning (leader election, the copy of the applied configuration that
/// the spec already holds) are not changes.
/// </summary>
public static class ChangeRules
{
    /// <summary>Annotations left out of history: they repeat the spec, or change on a timer.</summary>
    public static readonly IReadOnlySet<string> IgnoredAnnotations = new HashSet<string>(StringComparer.Ordinal)
    {
        "kubectl.kubernetes.io/last-applied-configuration",
        "control-plane.alpha.kubernetes.io/leader",
    };

    private static readonly string[] BookkeepingMetadata = ["resourceVersion", "managedFields", "generation", "selfLink", "creationTimestamp"];

    /// <summary>Paths listed per version, at most; a change touching more says how many more.</summary>
    public const int MaxPaths = 50;

    /// <summary>The change from <paramref name="before"/> (null: none kept yet) to <paramref name="after"/> (null: deleted); null when nothing meaningful moved.</summary>
    /// <param name="beforeNormalized"><paramref name="before"/> as <see cref="Normalize"/> makes it, when the caller kept it from the last comparison.</param>
    public static MeaningfulChange? Compare(JsonObject? before, JsonObject? after, JsonObject? beforeNormalized = null)
    {
        if (before is null && after is null) return null;
        if (after is null) return new MeaningfulChange(ChangeKind.Deleted, [], [], []);
        var kept = Normalize(after);
        if (before is null) return new MeaningfulChange(ChangeKind.Created, [], [new PatchOperation("replace", "", kept)], NewManagers(null, after)) { Normalized = kept };

        var patch = JsonDiff.Diff(beforeNormalized ?? Normalize(before), kept);
        // A Secret's values are never compared, or even present: which keys moved comes from its managedFields.
        var keys = IsSecret(after) ? SecretKeys.Compare(before, after) : null;
        if (patch.Count == 0 && (keys is null || keys.IsEmpty)) return null;
        var paths = patch.Take(MaxPaths).Select(op => JsonPointer.ToPath(op.Path)).ToList();
        if (patch.Count > MaxPaths) paths.Add($"… and {patch.Count - MaxPaths} more");
        if (keys is not null)
        {
            paths.AddRange(keys.Added.Select(k => $"data.{k} (added)"));
            paths.AddRange(keys.Removed.Select(k => $"data.{k} (removed)"));
            paths.AddRange(keys.Written.Select(k => $"data.{k} (written)"));
        }
        return new MeaningfulChange(ChangeKind.Updated, paths, patch, NewManagers(before, after)) { Normalized = kept };
    }

    /// <summary>The object as history keeps it: a copy without status and bookkeeping.</summary>
    /// <remarks>Built field by field, so status and managedFields — most of a busy object — are never copied.</remarks>
    public static JsonObject Normalize(JsonObject obj)
    {
        var secret = IsSecret(obj);
        var copy = new JsonObject();
        foreach (var (name, value) in obj)
        {
            // Never a value: a Secret's history is its metadata and which keys moved (SecretKeys).
            if (name == "status" || (secret && name is "data" or "stringData")) continue;
            copy[name] = name == "metadata" && value is JsonObject metadata ? NormalizeMetadata(metadata) : value?.DeepClone();
        }
        return copy;
    }

    private static JsonObject NormalizeMetadata(JsonObject metadata)
    {
        var copy = new JsonObject();
        foreach (var (name, value) in metadata)
        {
            if (Array.IndexOf(BookkeepingMetadata, name) >= 0) continue;
            if (name == "annotations" && value is JsonObject annotations)
            {
                var kept = new JsonObject();
                foreach (var (key, annotation) in annotations)
                {
                    if (!IgnoredAnnotations.Contains(key)) kept[key] = annotation?.DeepClone();
                }
                if (kept.Count > 0) copy[name] = kept;
                continue;
            }
            copy[name] = value?.DeepClone();
        }
        return copy;
    }

    /// <summary>Whether the object is a core Secret (whose values history never keeps).</summary>
    public static bool IsSecret(JsonObject obj) =>
        obj["kind"]?.GetValue<string>() == "Secret" && obj["apiVersion"]?.GetValue<string>() == "v1";

    /// <summary>The managedFields entries of <paramref name="after"/> that <paramref name="before"/> did not have (same manager, operation and time).</summary>
    public static List<FieldManager> NewManagers(JsonObject? before, JsonObject after)
    {
        var old = Managers(before).ToHashSet();
        return Managers(after).Where(m => !old.Contains(m)).ToList();
    }

    private static IEnumerable<FieldManager> Managers(JsonObject? obj)
    {
        if (obj?["metadata"]?["managedFields"] is not JsonArray entries) yield break;
        foreach (var entry in entries.OfType<JsonObject>())
        {
            yield return new FieldManager(
                entry["manager"]?.GetValue<string>() ?? "",
                entry["operation"]?.GetValue<string>() ?? "",
                entry["time"]?.GetValue<string>());
        }
    }
}
