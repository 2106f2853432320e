using System.Text.Json;
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
public sealed record MeaningfulChange(ChangeKind Kind, IReadOnlyList<string> ChangedPaths, IReadOnlyList<PatchOperation> Patch, IReadOnlyList<FieldManager> Managers);

/// <summary>What history remembers of a kept version to compare the next with: the object as kept, and its field managers.</summary>
public sealed record KeptState(JsonElement Normalized, IReadOnlyList<FieldManager> Managers);

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

    /// <summary>Paths listed per version, at most; a change touching more says how many more.</summary>
    public const int MaxPaths = 50;

    /// <summary>The change from <paramref name="before"/> (null: none kept yet) to <paramref name="after"/> (null: deleted); null when nothing meaningful moved.</summary>
    public static MeaningfulChange? Compare(JsonObject? before, JsonObject? after) =>
        Compare(before is null ? null : Keep(NormalizedJson.ToElement(before)), after is null ? null : Keep(NormalizedJson.ToElement(after)));

    /// <summary>The change between two kept versions; null when nothing meaningful moved.</summary>
    public static MeaningfulChange? Compare(KeptState? before, KeptState? after)
    {
        if (before is null && after is null) return null;
        if (after is null) return new MeaningfulChange(ChangeKind.Deleted, [], [], []);
        if (before is null)
        {
            return new MeaningfulChange(ChangeKind.Created, [], [new PatchOperation("replace", "", JsonNode.Parse(after.Normalized.GetRawText()))], after.Managers);
        }

        var patch = ElementDiff.Diff(before.Normalized, after.Normalized);
        if (patch.Count == 0) return null;
        var secret = NormalizedJson.IsSecret(after.Normalized);
        var paths = patch.Take(MaxPaths).Select(op => secret && SecretKeyPath(op) is { } key ? key : JsonPointer.ToPath(op.Path)).ToList();
        if (patch.Count > MaxPaths) paths.Add($"… and {patch.Count - MaxPaths} more");
        var old = before.Managers.ToHashSet();
        return new MeaningfulChange(ChangeKind.Updated, paths, patch, after.Managers.Where(m => !old.Contains(m)).ToList());
    }

    /// <summary>What history keeps of an observed object: the object without status and bookkeeping, and its field managers.</summary>
    /// <param name="typeMeta">The apiVersion and kind to record it as, when the object does not say (LIST items) or says PartialObjectMetadata.</param>
    public static KeptState Keep(JsonElement observed, (string ApiVersion, string Kind)? typeMeta = null) =>
        new(NormalizedJson.Write(observed, typeMeta, IgnoredAnnotations), NormalizedJson.Managers(observed));

    /// <summary>The object as history keeps it: a copy without status and bookkeeping (and a Secret without its values).</summary>
    public static JsonObject Normalize(JsonObject obj) =>
        JsonNode.Parse(NormalizedJson.Write(NormalizedJson.ToElement(obj), null, IgnoredAnnotations).GetRawText())!.AsObject();

    // A Secret's data key or annotation, as written (added, removed): what changed, never to what.
    private static string? SecretKeyPath(PatchOperation op)
    {
        var tokens = JsonPointer.Tokens(op.Path);
        var field = tokens is ["data", var key, ..] ? $"data.{key}"
            : tokens is ["metadata", "annotations", var annotation, ..] ? $"metadata.annotations.{annotation}"
            : null;
        return field is null ? null : op.Op switch
        {
            "add" => $"{field} (added)",
            "remove" => $"{field} (removed)",
            _ => $"{field} (written)",
        };
    }
}
