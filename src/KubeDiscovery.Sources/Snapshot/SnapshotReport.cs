namespace KubeDiscovery.Sources.Snapshot;

/// <summary>What a snapshot load indexed, and what it passed over.</summary>
/// <param name="Objects">Objects indexed.</param>
/// <param name="WithoutUid">Objects skipped for having no <c>metadata.uid</c> (they can be in no tree), by kind.</param>
/// <param name="Duplicates">Items that repeated an object already loaded (the same uid under another API group).</param>
/// <param name="Ours">Items of <c>kubediscovery.io</c> (this server's own answers, in a dump of a cluster it serves), skipped.</param>
public sealed record SnapshotReport(int Objects, IReadOnlyDictionary<string, int> WithoutUid, int Duplicates, int Ours = 0)
{
    /// <summary>The warning to log for the skipped objects, or null when none were.</summary>
    public string? SkippedWarning => WithoutUid.Count == 0
        ? null
        : $"skipped {WithoutUid.Values.Sum()} objects without metadata.uid, which can be part of no tree: "
          + string.Join(", ", WithoutUid.Select(k => $"{k.Value} {k.Key}"));

    /// <summary>A note on this server's own answers found in the dump, or null when there were none.</summary>
    public string? OursNote => Ours == 0
        ? null
        : $"skipped {Ours} kubediscovery.io items (this server's own answers, in a dump of a cluster it serves): they are no cluster objects";

    /// <summary>A note on the repeated objects, or null when there were none.</summary>
    public string? DuplicatesNote => Duplicates == 0
        ? null
        : $"{Duplicates} items repeated objects already loaded (one storage listed under two API groups, such as ingresses in extensions and networking.k8s.io): each was loaded once";
}
