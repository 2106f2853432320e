using System.CommandLine;
using System.Net;
using KubeDiscovery.Graph;
using KubeDiscovery.Hosting;
using KubeDiscovery.Security;
using KubeDiscovery.Sources.Live;
using KubeDiscovery.Sources.Snapshot;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeDiscovery.Cli;

/// <summary>
/// The <c>kubediscovery</c> command line, with flags named like Kubernetes' own servers. Flags become
/// configuration keys, so the options classes are bound the same way from flags or configuration.
/// Exit codes: 0 normal stop, 1 start-up failure (bad snapshot, bad certificate), 2 bad usage.
/// </summary>
internal static class ServerCommand
{
    public const int ExitUsage = 2;
    public const int ExitStartupFailure = 1;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var securePort = new Option<int>("--secure-port")
        {
            Description = "The port on which to serve HTTPS.",
            DefaultValueFactory = _ => 8443,
            CustomParser = result => ParseInt(result, "a port number (1-65535)"),
        };
        var bindAddress = new Option<string?>("--bind-address")
        {
            Description = "The IP address on which to listen (0.0.0.0 for all IPv4 interfaces, :: for all). Default: 0.0.0.0 following a cluster, 127.0.0.1 with --demo or --snapshot.",
        };
        var certDir = new Option<string?>("--cert-dir")
        {
            Description = "With --demo or --snapshot: where the serving certificate, a local admin's client certificate and a kubeconfig using them are written (default: $TMPDIR/kubediscovery-<port>).",
        };
        var certFile = new Option<string?>("--tls-cert-file")
        {
            Description = "PEM serving certificate. Without it a self-signed certificate is generated at start.",
        };
        var keyFile = new Option<string?>("--tls-private-key-file")
        {
            Description = "PEM private key matching --tls-cert-file.",
        };
        var snapshot = new Option<string[]>("--snapshot")
        {
            Description = "Serve a cluster snapshot: a YAML or JSON file (e.g. `kubectl get -A -o yaml` output) or a directory of them. Repeatable.",
            Arity = ArgumentArity.OneOrMore,
        };
        var demo = new Option<bool>("--demo")
        {
            Description = "Serve the bundled sample cluster instead of a live cluster.",
        };
        var kubeconfig = new Option<string?>("--kubeconfig")
        {
            Description = "Kubeconfig of the cluster to follow. Default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account.",
        };
        var context = new Option<string?>("--context")
        {
            Description = "Kubeconfig context to use instead of the current one.",
        };
        var resources = new Option<string[]>("--resources")
        {
            Description = "Follow only these resources (plural or plural.group; comma-separated or repeated). Default: every listable resource.",
            Arity = ArgumentArity.OneOrMore,
        };
        var excludeResources = new Option<string[]>("--exclude-resources")
        {
            Description = "Never follow these resources (plural or plural.group). Default: events, events.events.k8s.io.",
            Arity = ArgumentArity.OneOrMore,
        };
        var relations = new Option<string[]>("--relations")
        {
            Description = "Relation rules for connections (a RelationRules YAML or JSON file; see the README). Repeatable. Invalid rules are reported, never fatal.",
            Arity = ArgumentArity.OneOrMore,
        };
        var authenticationKubeconfig = new Option<string?>("--authentication-kubeconfig")
        {
            Description = "Kubeconfig of the cluster that reviews bearer tokens (TokenReview) and publishes kube-system/extension-apiserver-authentication. Default: the followed cluster; none with --demo/--snapshot.",
        };
        var authorizationKubeconfig = new Option<string?>("--authorization-kubeconfig")
        {
            Description = "Kubeconfig of the cluster that authorizes requests (SubjectAccessReview). Default: the followed cluster; with --demo/--snapshot and no such cluster, every request is allowed.",
        };
        var clientCaFile = new Option<string?>("--client-ca-file")
        {
            Description = "PEM bundle: client certificates signed by it authenticate as their CN (groups: O). Overrides client-ca-file from the ConfigMap.",
        };
        var requestHeaderCaFile = new Option<string?>("--requestheader-client-ca-file")
        {
            Description = "PEM bundle of the front proxy's CA: its client certificates may name the user in request headers. Overrides the ConfigMap's requestheader-* settings.",
        };
        var requestHeaderAllowedNames = ListOption("--requestheader-allowed-names", "Common names the front proxy's certificate may have; empty allows any (with --requestheader-client-ca-file).");
        var requestHeaderUsernameHeaders = ListOption("--requestheader-username-headers", "Headers naming the user, first non-empty wins (default X-Remote-User).");
        var requestHeaderGroupHeaders = ListOption("--requestheader-group-headers", "Headers naming groups (default X-Remote-Group).");
        var requestHeaderExtraPrefixes = ListOption("--requestheader-extra-headers-prefix", "Header prefixes of extra user attributes (default X-Remote-Extra-).");
        var requestHeaderUidHeaders = ListOption("--requestheader-uid-headers", "Headers naming the user's UID (default none).");
        var skipLookup = new Option<bool>("--authentication-skip-lookup")
        {
            Description = "Do not read kube-system/extension-apiserver-authentication; trust only the CA files given.",
        };
        var alwaysAllowGroups = ListOption("--authorization-always-allow-groups", "Groups allowed everything without a SubjectAccessReview (default system:masters).");
        var alwaysAllowPaths = ListOption("--authorization-always-allow-paths", "Paths anyone may get; a trailing * matches a prefix (default /healthz,/readyz,/livez).");
        var maxTreeNodes = new Option<int>("--max-tree-nodes")
        {
            Description = "Nodes one answer may hold; beyond it trees are cut (truncated: true) and a Warning header says so.",
            DefaultValueFactory = _ => ServingOptions.DefaultMaxTreeNodes,
            CustomParser = result => ParseInt(result, "a number of nodes (1 or more)"),
        };
        var hiddenChildren = new Option<HiddenChildrenMode>("--hidden-children")
        {
            Description = "What a tree says of children the requester may not read: count (hiddenChildren: N) or omit (nothing, not even truncated).",
            DefaultValueFactory = _ => HiddenChildrenMode.Count,
        };
        var verbosity = new Option<int?>("-v", "--v")
        {
            CustomParser = result => ParseInt(result, "a verbosity level (0-10)"),
            Description = "Log verbosity, as in Kubernetes: 0-1 info, 2-4 debug, 5+ trace.",
        };
        var loggingFormat = new Option<string>("--logging-format")
        {
            Description = "Log format: text (one line per entry) or json (one JSON object per line, with the request's verb, path and user), as Kubernetes components spell it.",
            DefaultValueFactory = _ => "text",
        };
        var logLevel = new Option<LogLevel?>("--log-level")
        {
            Description = "Log level (Trace, Debug, Information, Warning, Error); overrides -v.",
        };

        var root = new RootCommand("KubeDiscovery: a Kubernetes aggregated API server answering what objects are composed of.")
        {
            securePort, bindAddress, certDir, certFile, keyFile, snapshot, demo, kubeconfig, context, resources, excludeResources, relations,
            authenticationKubeconfig, authorizationKubeconfig, clientCaFile, requestHeaderCaFile, requestHeaderAllowedNames,
            requestHeaderUsernameHeaders, requestHeaderGroupHeaders, requestHeaderExtraPrefixes, requestHeaderUidHeaders, skipLookup,
            alwaysAllowGroups, alwaysAllowPaths, hiddenChildren, maxTreeNodes, verbosity, logLevel, loggingFormat,
        };

        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            await stderr.WriteLineAsync($"kubediscovery: {OneLine(result.Errors[0].Message)} (see --help)");
            return ExitUsage;
        }

        root.SetAction(async (parsed, ct) =>
        {
            var isLive = !parsed.GetValue(demo) && (parsed.GetValue(snapshot) ?? []).Length == 0;
            var serving = new ServingOptions
            {
                SecurePort = parsed.GetValue(securePort),
                // A snapshot has no cluster to say who may read it: serve this machine only unless told otherwise.
                BindAddress = parsed.GetValue(bindAddress) ?? (isLive ? "0.0.0.0" : "127.0.0.1"),
                TlsCertFile = parsed.GetValue(certFile),
                TlsPrivateKeyFile = parsed.GetValue(keyFile),
                MaxTreeNodes = parsed.GetValue(maxTreeNodes),
                LoggingFormat = parsed.GetValue(loggingFormat) switch
                {
                    "json" => LoggingFormat.Json,
                    "text" => LoggingFormat.Text,
                    _ => (LoggingFormat)(-1),
                },
            };
            var source = new SourceOptions
            {
                Demo = parsed.GetValue(demo),
                Snapshots = parsed.GetValue(snapshot) ?? [],
                Kubeconfig = parsed.GetValue(kubeconfig),
                Context = parsed.GetValue(context),
                Resources = SplitList(parsed.GetValue(resources)),
                ExcludeResources = parsed.GetResult(excludeResources) is null ? null : SplitList(parsed.GetValue(excludeResources)),
                Relations = parsed.GetValue(relations) ?? [],
            };
            var defaults = new SecurityOptions();
            IReadOnlyList<string> ListOr(Option<string[]> option, IReadOnlyList<string> fallback) =>
                parsed.GetResult(option) is null ? fallback : SplitList(parsed.GetValue(option)).Where(v => v.Length > 0).ToList();
            var security = new SecurityOptions
            {
                AuthenticationKubeconfig = parsed.GetValue(authenticationKubeconfig),
                AuthorizationKubeconfig = parsed.GetValue(authorizationKubeconfig),
                ClientCaFile = parsed.GetValue(clientCaFile),
                RequestHeaderClientCaFile = parsed.GetValue(requestHeaderCaFile),
                RequestHeaderAllowedNames = ListOr(requestHeaderAllowedNames, defaults.RequestHeaderAllowedNames),
                RequestHeaderUsernameHeaders = ListOr(requestHeaderUsernameHeaders, defaults.RequestHeaderUsernameHeaders),
                RequestHeaderGroupHeaders = ListOr(requestHeaderGroupHeaders, defaults.RequestHeaderGroupHeaders),
                RequestHeaderExtraHeadersPrefix = ListOr(requestHeaderExtraPrefixes, defaults.RequestHeaderExtraHeadersPrefix),
                RequestHeaderUidHeaders = ListOr(requestHeaderUidHeaders, defaults.RequestHeaderUidHeaders),
                AuthenticationSkipLookup = parsed.GetValue(skipLookup),
                AlwaysAllowGroups = ListOr(alwaysAllowGroups, defaults.AlwaysAllowGroups),
                AlwaysAllowPaths = ListOr(alwaysAllowPaths, defaults.AlwaysAllowPaths),
                HiddenChildren = parsed.GetValue(hiddenChildren),
            };
            var level = parsed.GetValue(logLevel) ?? FromVerbosity(parsed.GetValue(verbosity) ?? 0);

            var usageError = Validate(serving, source) ?? Validate(security);
            if (usageError is not null)
            {
                await stderr.WriteLineAsync($"kubediscovery: {usageError} (see --help)");
                return ExitUsage;
            }
            var certDirectory = parsed.GetValue(certDir) ?? LocalAccess.DefaultDirectory(serving.SecurePort);
            return await RunServerAsync(serving, source, security, level, certDirectory, stderr, ct);
        });

        return await result.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, cancellationToken);
    }

    private static string? Validate(ServingOptions serving, SourceOptions source)
    {
        if (!Enum.IsDefined(serving.LoggingFormat)) return "--logging-format must be text or json";
        if (serving.SecurePort is < 1 or > 65535) return $"--secure-port must be between 1 and 65535, not {serving.SecurePort}";
        if (serving.MaxTreeNodes < 1) return $"--max-tree-nodes must be 1 or more, not {serving.MaxTreeNodes}";
        if (!IPAddress.TryParse(serving.BindAddress, out _)) return $"--bind-address \"{serving.BindAddress}\" is not an IP address";
        if (string.IsNullOrEmpty(serving.TlsCertFile) != string.IsNullOrEmpty(serving.TlsPrivateKeyFile))
        {
            return "--tls-cert-file and --tls-private-key-file go together";
        }
        if (source.Demo && source.Snapshots.Count > 0) return "--demo and --snapshot cannot be combined";
        if (source.Demo || source.Snapshots.Count > 0)
        {
            var liveFlag = source.Kubeconfig is not null ? "--kubeconfig"
                : source.Context is not null ? "--context"
                : source.Resources.Count > 0 ? "--resources"
                : source.ExcludeResources is not null ? "--exclude-resources"
                : null;
            if (liveFlag is not null) return $"{liveFlag} is for a live cluster and cannot be combined with --demo or --snapshot";
        }
        var badName = source.Resources.Concat(source.ExcludeResources ?? []).FirstOrDefault(n => n.Length == 0 || n.Contains('/') || n.Any(char.IsWhiteSpace));
        if (badName is not null) return $"\"{badName}\" is not a resource name (plural or plural.group)";
        return null;
    }

    private static string? Validate(SecurityOptions security)
    {
        if (security.RequestHeaderClientCaFile is null)
        {
            var defaults = new SecurityOptions();
            if (security.RequestHeaderAllowedNames.Count > 0
                || !security.RequestHeaderUsernameHeaders.SequenceEqual(defaults.RequestHeaderUsernameHeaders)
                || !security.RequestHeaderGroupHeaders.SequenceEqual(defaults.RequestHeaderGroupHeaders)
                || !security.RequestHeaderExtraHeadersPrefix.SequenceEqual(defaults.RequestHeaderExtraHeadersPrefix)
                || !security.RequestHeaderUidHeaders.SequenceEqual(defaults.RequestHeaderUidHeaders))
            {
                return "the --requestheader-* settings need --requestheader-client-ca-file (without it they come from the cluster's ConfigMap)";
            }
        }
        else if (security.RequestHeaderUsernameHeaders.Count == 0)
        {
            return "--requestheader-username-headers cannot be empty";
        }
        var badPath = security.AlwaysAllowPaths.FirstOrDefault(p => !p.StartsWith('/'));
        return badPath is null ? null : $"--authorization-always-allow-paths \"{badPath}\" must start with /";
    }

    private static string? PortInUse(ServingOptions serving)
    {
        try
        {
            var listener = new System.Net.Sockets.TcpListener(IPAddress.Parse(serving.BindAddress), serving.SecurePort);
            listener.Start();
            listener.Stop();
            return null;
        }
        catch (System.Net.Sockets.SocketException e)
        {
            return e.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse ? "the address is already in use" : e.Message;
        }
    }

    // The parser's own message names the CLR type ("System.Int32"); say what the flag wants instead.
    private static int ParseInt(System.CommandLine.Parsing.ArgumentResult result, string what)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value)) return value;
        var option = (result.Parent as System.CommandLine.Parsing.OptionResult)?.Option.Name ?? "the value";
        result.AddError($"{option} must be {what}, not \"{text}\"");
        return 0;
    }

    private static Option<string[]> ListOption(string name, string description) => new(name)
    {
        Description = description + " Comma-separated or repeated.",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    // "--resources a,b --resources c" → [a, b, c]
    private static IReadOnlyList<string> SplitList(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)).ToList();

    // Parser messages may list suggestions on further lines; usage errors stay on one line.
    private static string OneLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 1 ? lines[0] : $"{lines[0]} {string.Join(", ", lines[1..])}";
    }

    private static void LogRuleErrors(ILogger logger, Graph.Connections.Rules.RelationRuleSet rules)
    {
        foreach (var error in rules.Errors) ServerLog.RuleRefused(logger, error.Source, error.Message);
    }

    private static LogLevel FromVerbosity(int v) => v switch
    {
        <= 1 => LogLevel.Information,
        <= 4 => LogLevel.Debug,
        _ => LogLevel.Trace,
    };

    private static async Task<int> RunServerAsync(ServingOptions serving, SourceOptions source, SecurityOptions security, LogLevel level,
        string certDirectory, TextWriter stderr, CancellationToken ct)
    {
        var cache = new ClusterCache();
        cache.Relations.Documents = RelationRulesText.Documents;
        foreach (var file in source.Relations)
        {
            try
            {
                cache.Relations.AddFile(file, await File.ReadAllTextAsync(file, ct));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"kubediscovery: cannot read --relations {file}: {e.Message}");
                return ExitStartupFailure;
            }
        }
        string? description = null;
        SnapshotReport? loaded = null;
        (k8s.KubernetesClientConfiguration Config, string Description)? cluster = null;
        if (source.IsLive)
        {
            try
            {
                cluster = ClusterConnection.Resolve(source.Kubeconfig, source.Context);
            }
            catch (ClusterAccessException e)
            {
                await stderr.WriteLineAsync($"kubediscovery: cannot use the cluster: {e.Message}");
                return ExitStartupFailure;
            }
        }
        else
        {
            try
            {
                var files = source.Snapshots.Count > 0 ? SnapshotLoader.Expand(source.Snapshots) : SnapshotLoader.Demo();
                loaded = SnapshotLoader.Load(files, cache);
                cache.MarkSynced();
                description = source.Snapshots.Count > 0 ? $"snapshot {string.Join(", ", source.Snapshots)}" : "the bundled demo cluster";
            }
            catch (SnapshotException e)
            {
                await stderr.WriteLineAsync($"kubediscovery: cannot load the snapshot: {e.Message}");
                return ExitStartupFailure;
            }
        }

        // Before anything is written or served: a port in use is one clear line, and a second server on the
        // same port never overwrites the first one's kubeconfig in --cert-dir.
        if (PortInUse(serving) is { } busy)
        {
            await stderr.WriteLineAsync($"kubediscovery: cannot listen on {serving.BindAddress}:{serving.SecurePort}: {busy} (choose another with --secure-port)");
            return ExitStartupFailure;
        }

        // No cluster to authenticate against and no CA given: make the credentials kubectl needs, and say where.
        LocalAccess? local = null;
        if (!source.IsLive && security.ClientCaFile is null && security.AuthenticationKubeconfig is null && security.AuthorizationKubeconfig is null)
        {
            try
            {
                local = LocalAccess.Create(certDirectory, serving, serving.TlsCertFile, serving.TlsPrivateKeyFile, TimeProvider.System);
            }
            catch (ServerStartupException e)
            {
                await stderr.WriteLineAsync($"kubediscovery: {e.Message}");
                return ExitStartupFailure;
            }
            security = security with { ClientCaFile = local.ClientCaFile };
            serving = serving with { TlsCertFile = local.ServingCertFile, TlsPrivateKeyFile = local.ServingKeyFile };
        }

        WebApplication app;
        try
        {
            var delegation = Delegation.Resolve(security, cluster?.Config, TimeProvider.System);
            app = ServerHost.Build(serving, cache, delegation, level);
        }
        catch (ServerStartupException e)
        {
            await stderr.WriteLineAsync($"kubediscovery: {e.Message}");
            return ExitStartupFailure;
        }

        await using (app)
        {
            LogRuleErrors(app.Logger, cache.Relations.Current);
            cache.Relations.Changed += rules => LogRuleErrors(app.Logger, rules);
            LiveClusterSource? live = null;
            if (cluster is { } c)
            {
                var options = new LiveSourceOptions
                {
                    Resources = source.Resources,
                    ExcludeResources = source.ExcludeResources,
                };
                live = new LiveClusterSource(new k8s.Kubernetes(c.Config), c.Description, cache, options, app.Services.GetRequiredService<ILoggerFactory>());
                try
                {
                    // Discovery answers (or fails) before the port opens; the reflectors list in the background,
                    // with /readyz failing until they have.
                    await live.StartAsync(ct);
                }
                catch (ClusterAccessException e)
                {
                    await live.DisposeAsync();
                    await stderr.WriteLineAsync($"kubediscovery: cannot reach the cluster: {e.Message}");
                    return ExitStartupFailure;
                }
            }
            else
            {
                ServerLog.SourceLoaded(app.Logger, description!, cache.Index.Count, cache.Catalog.Types.Count);
                if (loaded?.SkippedWarning is { } skipped) ServerLog.SnapshotSkipped(app.Logger, skipped);
                if (loaded?.DuplicatesNote is { } duplicates) ServerLog.SnapshotDuplicates(app.Logger, duplicates);
            }

            try
            {
                // The front proxy's CA must be known before the first request, or kube-apiserver's would be refused.
                await app.Services.GetRequiredService<SecurityServices>().Trust.StartAsync(ct);
            }
            catch (ServerStartupException e)
            {
                if (live is not null) await live.DisposeAsync();
                await stderr.WriteLineAsync($"kubediscovery: {e.Message}");
                return ExitStartupFailure;
            }

            try
            {
                await app.StartAsync(ct);
                ServerLog.Serving(app.Logger, serving.BindAddress, serving.SecurePort);
                if (!source.IsLive && IPAddress.IsLoopback(IPAddress.Parse(serving.BindAddress))) ServerLog.LoopbackOnly(app.Logger, serving.BindAddress);
                if (local is not null) ServerLog.LocalKubeconfig(app.Logger, local.KubeconfigPath);
                await app.WaitForShutdownAsync(ct);
            }
            catch (Exception e) when (e is IOException or Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                await stderr.WriteLineAsync($"kubediscovery: cannot listen on {serving.BindAddress}:{serving.SecurePort}: {e.Message}");
                return ExitStartupFailure;
            }
            finally
            {
                if (live is not null) await live.DisposeAsync();
            }
        }
        return 0;
    }
}
