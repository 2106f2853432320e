namespace KubeDiscovery.Sources.Snapshot;

/// <summary>One snapshot input: a display name for error messages and a way to open it.</summary>
public sealed record SnapshotFile(string Name, Func<Stream> Open)
{
    public static SnapshotFile FromPath(string path) => new(path, () => File.OpenRead(path));
}
