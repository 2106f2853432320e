namespace KubeDiscovery.Hosting;

/// <summary>Which cluster the index follows. Bound from the <c>Source</c> configuration section.</summary>
public sealed record SourceOptions
{
    public const string Section = "Source";

    /// <summary>Serve the bundled sample cluster.</summary>
    public bool Demo { get; init; }

    /// <summary>Snapshot files or directories (YAML/JSON).</summary>
    public IReadOnlyList<string> Snapshots { get; init; } = [];

    /// <summary>Kubeconfig for the live source.</summary>
    public string? Kubeconfig { get; init; }
}
