namespace KubeDiscovery.Graph.Connections.Extraction;

/// <summary>
/// A link taken from identity rather than from a path: Endpoints name their Service by their own name,
/// an EndpointSlice by its <c>kubernetes.io/service-name</c> label.
/// </summary>
public sealed record DerivedLink(string Link, string TargetGroup, string TargetKind, string? FromLabel);

/// <summary>Everything ingest takes from the objects of one kind beyond metadata and status.</summary>
public sealed class ExtractionPlan
{
    internal ExtractionPlan(IReadOnlyList<Capture> captures, DerivedLink[] derived, string? notesLabel)
    {
        Captures = captures;
        Derived = derived;
        NotesLabel = notesLabel;
        foreach (var capture in captures) Root.Add(capture);
        Metadata = captures.Any(c => c.Path is ["metadata", _, ..]) ? Root.Child("metadata") : null;
        _links = captures.Select(c => c.Link).Concat(derived.Select(d => d.Link)).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);
        Fingerprint = string.Join("\n", captures.Select(c => $"{string.Join('.', c.Path)} {c.Kind} {c.Link} {c.TargetGroup}/{c.TargetKind} {c.Template} {c.NotePrefix}")
            .Concat(derived.Select(d => d.ToString())).Order(StringComparer.Ordinal));
    }

    public static readonly ExtractionPlan None = new([], [], null);

    public IReadOnlyList<Capture> Captures { get; }
    public DerivedLink[] Derived { get; }

    /// <summary>When set, notes are kept only for objects carrying this label (rules ConfigMaps).</summary>
    public string? NotesLabel { get; }

    /// <summary>Identifies what this plan extracts: a source re-reads a kind whose fingerprint changed.</summary>
    public string Fingerprint { get; }

    private readonly HashSet<string> _links;

    /// <summary>
    /// Whether this plan still makes <paramref name="link"/>: a record read under an older rule keeps its
    /// references until read again, and answers leave out the ones no rule makes any more.
    /// </summary>
    public bool Makes(string link) => _links.Contains(link);

    public bool IsEmpty => Captures.Count == 0 && Derived.Length == 0;

    internal PathNode Root { get; } = new();

    /// <summary>The part of the plan under <c>metadata</c> (annotations a rule reads), or null.</summary>
    internal PathNode? Metadata { get; }

    /// <summary>True when a top-level property other than metadata is read.</summary>
    internal bool ReadsBody => Captures.Any(c => c.Path.Length > 0 && c.Path[0] != "metadata");
}
