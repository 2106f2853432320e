namespace KubeDiscovery.Graph.Ingest;

/// <summary>An object that cannot be indexed; the message says which field is wrong.</summary>
public sealed class InvalidObjectException(string message) : Exception(message);
