namespace KubeDiscovery.Sources.Snapshot;

/// <summary>A snapshot that cannot be loaded; each problem names its file and document.</summary>
public sealed class SnapshotException : Exception
{
    private const int MaxListed = 20;

    public SnapshotException(IReadOnlyList<string> problems)
        : base(Format(problems)) => Problems = problems;

    public IReadOnlyList<string> Problems { get; }

    private static string Format(IReadOnlyList<string> problems)
    {
        var lines = problems.Take(MaxListed).Select(p => "  " + p).ToList();
        if (problems.Count > MaxListed) lines.Add($"  … and {problems.Count - MaxListed} more");
        var noun = problems.Count == 1 ? "problem" : "problems";
        return $"the snapshot has {problems.Count} {noun}:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}";
    }
}
