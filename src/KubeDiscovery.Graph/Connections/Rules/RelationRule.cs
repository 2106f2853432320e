using KubeDiscovery.Graph.Connections.Extraction;

namespace KubeDiscovery.Graph.Connections.Rules;

/// <summary>
/// A label relationship (KubePlus' <c>resource/label-relationship</c>): an object of <see cref="From"/>
/// links to every object of <see cref="To"/> in its namespace whose label <see cref="LabelKey"/> holds its
/// name (through <see cref="Template"/>). Answered from labels already in the index, so a new rule
/// applies at once, with nothing read again.
/// </summary>
public sealed record LabelRule((string Group, string Kind) From, (string Group, string Kind) To, string LabelKey, ValueTemplate Template, string Link, string Source);

/// <summary>A rule that could not be used, and where it came from.</summary>
public sealed record RuleError(string Source, string Message)
{
    public override string ToString() => $"{Source}: {Message}";
}

/// <summary>A rule compiled for the index: captures read at ingest, or a label rule answered at query time.</summary>
public sealed record CompiledRule((string Group, string Kind) Owner, Capture? Capture, LabelRule? Label, string Source)
{
    /// <summary>An application rule: grouping, not a relation (<see cref="Applications.ApplicationRule"/>).</summary>
    public Applications.ApplicationRule? Application { get; init; }
}
