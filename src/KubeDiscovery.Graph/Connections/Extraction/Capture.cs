namespace KubeDiscovery.Graph.Connections.Extraction;

/// <summary>What a path's value means.</summary>
public enum CaptureKind
{
    /// <summary>A string naming the target (in the object's namespace when the target is namespaced).</summary>
    Name,
    /// <summary>An object reference: <c>name</c>, and optionally <c>namespace</c>, <c>kind</c>, <c>apiVersion</c> or <c>apiGroup</c>.</summary>
    ObjectReference,
    /// <summary>A metav1.LabelSelector (<c>matchLabels</c>/<c>matchExpressions</c>; <c>{}</c> selects everything).</summary>
    Selector,
    /// <summary>A Service's selector: a plain map; empty selects nothing.</summary>
    SelectorMap,
    /// <summary><c>spec.replicas</c>, which status rules and claim templates read.</summary>
    Replicas,
    /// <summary>A StatefulSet claim template's name: its claims are <c>{template}-{set}-{ordinal}</c>.</summary>
    ClaimTemplate,
    /// <summary>Every string property of an object whose key starts with the capture's prefix, kept as notes.</summary>
    Notes,
}

/// <summary>
/// How a rule turns a value into a target name: <c>prefix</c> + name + <c>suffix</c> (KubePlus'
/// <c>wordpressservice-INSTANCE.metadata.name</c>), optionally one of a comma-separated list
/// (<c>contains(INSTANCE.metadata.name)</c>).
/// </summary>
public sealed record ValueTemplate(string Prefix, string Suffix, bool Contains)
{
    public static readonly ValueTemplate Exact = new("", "", false);

    public IEnumerable<string> Names(string value)
    {
        var parts = Contains ? value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [value];
        foreach (var part in parts)
        {
            // Multus writes "namespace/name" and "name@interface" in its list: keep the name.
            var p = part;
            if (Contains)
            {
                var slash = p.LastIndexOf('/');
                if (slash >= 0) p = p[(slash + 1)..];
                var at = p.IndexOf('@', StringComparison.Ordinal);
                if (at >= 0) p = p[..at];
            }
            if (p.Length > Prefix.Length + Suffix.Length && p.StartsWith(Prefix, StringComparison.Ordinal) && p.EndsWith(Suffix, StringComparison.Ordinal))
            {
                yield return p[Prefix.Length..^Suffix.Length];
            }
        }
    }
}

/// <summary>
/// One thing to take from the objects of a kind at ingest: at <see cref="Path"/>, a value meaning
/// <see cref="Kind"/>, giving a <see cref="Link"/> to an object of <see cref="TargetGroup"/>/<see cref="TargetKind"/>.
/// An empty target kind on an object reference means "the kind the reference names"; a non-empty one
/// on a reference that names its own kind keeps only references of that kind (RBAC subjects).
/// <see cref="PerObject"/> marks the one value siblings do not share (a Pod's Node): it is kept apart
/// so that the rest stays shared. <see cref="Unique"/> marks a value no other object names (a claim's
/// volume and the volume's claim, one to one): its key is not pooled, since nothing would share it.
/// </summary>
public sealed record Capture(
    string[] Path,
    CaptureKind Kind,
    string Link = "",
    string TargetGroup = "",
    string TargetKind = "",
    ValueTemplate? Template = null,
    string NotePrefix = "",
    bool PerObject = false,
    bool Unique = false);
