namespace KubeDiscovery.History.Storage;

/// <summary>The history database cannot be reached (yet); the message says why, for a 503.</summary>
public sealed class HistoryUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
