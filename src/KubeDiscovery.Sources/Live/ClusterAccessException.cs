namespace KubeDiscovery.Sources.Live;

/// <summary>The cluster cannot be reached or its configuration cannot be used; the message says why.</summary>
public sealed class ClusterAccessException(string message, Exception? inner = null) : Exception(message, inner);
