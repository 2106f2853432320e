using System.CommandLine;
using System.Net;
using KubeDiscovery.Cli;

namespace KubeDiscovery.Hosting;

/// <summary>Where and how the server listens and stops: its flags, defaults and validation in one place.</summary>
public sealed record ServingOptions
{
    public const int DefaultMaxTreeNodes = 10_000;
    public const int DefaultMaxRequestsInflight = 16;
    public const int DefaultMaxRequestsInflightPerUser = 4;

    /// <summary>The HTTPS port (the <c>--secure-port</c> of Kubernetes' own servers).</summary>
    public int SecurePort { get; init; } = 8443;

    /// <summary>The address to listen on; 0.0.0.0 listens on every IPv4 interface.</summary>
    public string BindAddress { get; init; } = "0.0.0.0";

    /// <summary>With a snapshot: where the local credentials and kubeconfig are written; null is one directory per port.</summary>
    public string? CertDir { get; init; }

    /// <summary>PEM serving certificate; with <see cref="TlsPrivateKeyFile"/>, replaces the self-signed one.</summary>
    public string? TlsCertFile { get; init; }

    public string? TlsPrivateKeyFile { get; init; }

    /// <summary>
    /// Nodes one answer may hold (<c>--max-tree-nodes</c>); beyond it expansion stops with <c>truncated</c>
    /// and a <c>Warning</c> header, so no answer's size — or the server's memory — follows the cluster's.
    /// </summary>
    public int MaxTreeNodes { get; init; } = DefaultMaxTreeNodes;

    /// <summary>
    /// Answers built at once (<c>--max-requests-inflight</c>, as kube-apiserver's): every query but discovery,
    /// OpenAPI, the web view's files and watches. As many more wait; beyond that a <c>429</c> with
    /// <c>Retry-After</c>, never a pile-up.
    /// </summary>
    public int MaxRequestsInflight { get; init; } = DefaultMaxRequestsInflight;

    /// <summary>The same for one user (<c>--max-requests-inflight-per-user</c>), so no user can take every place.</summary>
    public int MaxRequestsInflightPerUser { get; init; } = DefaultMaxRequestsInflightPerUser;

    /// <summary>
    /// After SIGTERM, how long <c>/readyz</c> fails while requests are still served (<c>--shutdown-delay-duration</c>,
    /// as kube-apiserver's), so endpoints and load balancers stop routing here before the port closes.
    /// </summary>
    public TimeSpan ShutdownDelay { get; init; } = TimeSpan.Zero;

    /// <summary>How long requests in flight (watches included) may take to finish once the port closes; then they are cut.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The directory local credentials go to.</summary>
    public string LocalCertDirectory => CertDir ?? LocalAccess.DefaultDirectory(SecurePort);

    /// <summary>What is wrong with these options, in the flags' words; null when nothing is.</summary>
    public string? Validate()
    {
        if (SecurePort is < 1 or > 65535) return $"--secure-port must be between 1 and 65535, not {SecurePort}";
        if (MaxTreeNodes < 1) return $"--max-tree-nodes must be 1 or more, not {MaxTreeNodes}";
        if (MaxRequestsInflight < 1) return $"--max-requests-inflight must be 1 or more, not {MaxRequestsInflight}";
        if (MaxRequestsInflightPerUser < 1) return $"--max-requests-inflight-per-user must be 1 or more, not {MaxRequestsInflightPerUser}";
        if (!IPAddress.TryParse(BindAddress, out _)) return $"--bind-address \"{BindAddress}\" is not an IP address";
        if (string.IsNullOrEmpty(TlsCertFile) != string.IsNullOrEmpty(TlsPrivateKeyFile))
        {
            return "--tls-cert-file and --tls-private-key-file go together";
        }
        if (ShutdownDelay < TimeSpan.Zero) return "--shutdown-delay-duration cannot be negative";
        return null;
    }

    /// <summary>The flags, as Kubernetes' own servers name them.</summary>
    internal sealed class Flags
    {
        private readonly Option<int> _securePort = new("--secure-port")
        {
            Description = "The port on which to serve HTTPS.",
            DefaultValueFactory = _ => 8443,
            CustomParser = result => FlagParsing.ParseInt(result, "a port number (1-65535)"),
        };

        private readonly Option<string?> _bindAddress = new("--bind-address")
        {
            Description = "The IP address on which to listen (0.0.0.0 for all IPv4 interfaces, :: for all). Default: 0.0.0.0 following a cluster, 127.0.0.1 with --demo or --snapshot.",
        };

        private readonly Option<string?> _certDir = new("--cert-dir")
        {
            Description = "With --demo or --snapshot: where the serving certificate, a local admin's client certificate and a kubeconfig using them are written (default: $TMPDIR/kubediscovery-<port>).",
        };

        private readonly Option<string?> _certFile = new("--tls-cert-file")
        {
            Description = "PEM serving certificate. Without it a self-signed certificate is generated at start.",
        };

        private readonly Option<string?> _keyFile = new("--tls-private-key-file")
        {
            Description = "PEM private key matching --tls-cert-file.",
        };

        private readonly Option<int> _maxTreeNodes = new("--max-tree-nodes")
        {
            Description = "Nodes one answer may hold; beyond it trees are cut (truncated: true) and a Warning header says so.",
            DefaultValueFactory = _ => DefaultMaxTreeNodes,
            CustomParser = result => FlagParsing.ParseInt(result, "a number of nodes (1 or more)"),
        };

        private readonly Option<int> _maxInflight = new("--max-requests-inflight")
        {
            Description = "Answers built at once, all users together (discovery, OpenAPI, the web view's files and watches aside); as many more wait, then 429.",
            DefaultValueFactory = _ => DefaultMaxRequestsInflight,
            CustomParser = result => FlagParsing.ParseInt(result, "a number of requests (1 or more)"),
        };

        private readonly Option<int> _maxInflightPerUser = new("--max-requests-inflight-per-user")
        {
            Description = "Answers built at once for one user; as many more wait, then 429.",
            DefaultValueFactory = _ => DefaultMaxRequestsInflightPerUser,
            CustomParser = result => FlagParsing.ParseInt(result, "a number of requests (1 or more)"),
        };

        private readonly Option<TimeSpan> _shutdownDelay = new("--shutdown-delay-duration")
        {
            // No DefaultValueFactory: help would print it as .NET writes a TimeSpan (00:00:00); absent is 0s.
            Description = "After SIGTERM, how long /readyz fails while requests are still served, before the port closes (e.g. 5s). Default 0s.",
            CustomParser = FlagParsing.ParseDuration,
        };

        public IEnumerable<Option> All => [_securePort, _bindAddress, _certDir, _certFile, _keyFile, _maxTreeNodes, _maxInflight, _maxInflightPerUser, _shutdownDelay];

        /// <param name="isLive">Following a cluster listens everywhere by default; a snapshot, which has no cluster to say who may read it, this machine only.</param>
        public ServingOptions Read(ParseResult parsed, bool isLive) => new()
        {
            SecurePort = parsed.GetValue(_securePort),
            BindAddress = parsed.GetValue(_bindAddress) ?? (isLive ? "0.0.0.0" : "127.0.0.1"),
            CertDir = parsed.GetValue(_certDir),
            TlsCertFile = parsed.GetValue(_certFile),
            TlsPrivateKeyFile = parsed.GetValue(_keyFile),
            MaxTreeNodes = parsed.GetValue(_maxTreeNodes),
            MaxRequestsInflight = parsed.GetValue(_maxInflight),
            MaxRequestsInflightPerUser = parsed.GetValue(_maxInflightPerUser),
            ShutdownDelay = parsed.GetValue(_shutdownDelay),
        };
    }
}
