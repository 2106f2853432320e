using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Ingest;

/// <summary>One LIST response read into records: its items, where the list continues, and what could not be read.</summary>
public sealed record ListPage(List<ObjectRecord> Items, string? ResourceVersion, string? Continue, List<string> Errors);
