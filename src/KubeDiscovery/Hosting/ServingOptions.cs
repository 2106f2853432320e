namespace KubeDiscovery.Hosting;

/// <summary>Where and how the server listens. Bound from the <c>Serving</c> configuration section.</summary>
public sealed record ServingOptions
{
    public const string Section = "Serving";

    /// <summary>The HTTPS port (the <c>--secure-port</c> of Kubernetes' own servers).</summary>
    public int SecurePort { get; init; } = 8443;

    /// <summary>The address to listen on; 0.0.0.0 listens on every IPv4 interface.</summary>
    public string BindAddress { get; init; } = "0.0.0.0";

    /// <summary>PEM serving certificate; with <see cref="TlsPrivateKeyFile"/>, replaces the self-signed one.</summary>
    public string? TlsCertFile { get; init; }

    public string? TlsPrivateKeyFile { get; init; }

    /// <summary>
    /// Nodes one answer may hold (<c>--max-tree-nodes</c>); beyond it expansion stops with <c>truncated</c>
    /// and a <c>Warning</c> header, so no answer's size — or the server's memory — follows the cluster's.
    /// </summary>
    public int MaxTreeNodes { get; init; } = DefaultMaxTreeNodes;

    public const int DefaultMaxTreeNodes = 10_000;

    /// <summary>How logs are written (<c>--logging-format</c>, as Kubernetes components spell it).</summary>
    public LoggingFormat LoggingFormat { get; init; } = LoggingFormat.Text;
}

/// <summary>One line of text per entry, or one JSON object per line (with the request's scope) for log pipelines.</summary>
public enum LoggingFormat
{
    Text,
    Json,
}
