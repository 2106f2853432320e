namespace KubeDiscovery.Hosting;

/// <summary>The server cannot start with the configuration given (unreadable certificate, bad address…).</summary>
internal sealed class ServerStartupException(string message, Exception? inner = null) : Exception(message, inner);
