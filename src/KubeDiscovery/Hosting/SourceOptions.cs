using System.CommandLine;
using KubeDiscovery.Cli;

namespace KubeDiscovery.Hosting;

/// <summary>Which cluster the index follows: a live one (the default), a snapshot, or the bundled demo.</summary>
public sealed record SourceOptions
{
    /// <summary>Serve the bundled sample cluster.</summary>
    public bool Demo { get; init; }

    /// <summary>Snapshot files or directories (YAML/JSON).</summary>
    public IReadOnlyList<string> Snapshots { get; init; } = [];

    /// <summary>Kubeconfig of the live cluster; null resolves it as kubectl does.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>Kubeconfig context of the live cluster.</summary>
    public string? Context { get; init; }

    /// <summary>Live resources to follow; empty follows all.</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];

    /// <summary>Live resources never to follow; null keeps the default exclusions.</summary>
    public IReadOnlyList<string>? ExcludeResources { get; init; }

    /// <summary>Relation rule files (<c>--relations</c>).</summary>
    public IReadOnlyList<string> Relations { get; init; } = [];

    /// <summary>Where Argo CD keeps its Applications: the namespace a tracking id without one names (<c>--argocd-namespace</c>).</summary>
    public string ArgoCdNamespace { get; init; } = Graph.Applications.ApplicationSettings.Default.ArgoNamespace;

    public bool IsLive => !Demo && Snapshots.Count == 0;

    public string? Validate()
    {
        if (Demo && Snapshots.Count > 0) return "--demo and --snapshot cannot be combined";
        if (!IsLive)
        {
            var liveFlag = Kubeconfig is not null ? "--kubeconfig"
                : Context is not null ? "--context"
                : Resources.Count > 0 ? "--resources"
                : ExcludeResources is not null ? "--exclude-resources"
                : null;
            if (liveFlag is not null) return $"{liveFlag} is for a live cluster and cannot be combined with --demo or --snapshot";
        }
        if (!System.Text.RegularExpressions.Regex.IsMatch(ArgoCdNamespace, "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"))
        {
            return $"--argocd-namespace \"{ArgoCdNamespace}\" is not a namespace name (lower-case letters, digits and '-', at most 63)";
        }
        var badName = Resources.Concat(ExcludeResources ?? []).FirstOrDefault(n => n.Length == 0 || n.Contains('/') || n.Any(char.IsWhiteSpace));
        return badName is null ? null : $"\"{badName}\" is not a resource name (plural or plural.group)";
    }

    internal sealed class Flags
    {
        private readonly Option<string[]> _snapshot = new("--snapshot")
        {
            Description = "Serve a cluster snapshot: a YAML or JSON file (e.g. `kubectl get -A -o yaml` output) or a directory of them. Repeatable.",
            Arity = ArgumentArity.OneOrMore,
        };

        private readonly Option<bool> _demo = new("--demo")
        {
            Description = "Serve the bundled sample cluster instead of a live cluster.",
        };

        private readonly Option<string?> _kubeconfig = new("--kubeconfig")
        {
            Description = "Kubeconfig of the cluster to follow. Default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account.",
        };

        private readonly Option<string?> _context = new("--context")
        {
            Description = "Kubeconfig context to use instead of the current one.",
        };

        private readonly Option<string[]> _resources = new("--resources")
        {
            Description = "Follow only these resources (plural or plural.group; comma-separated or repeated). Default: every listable resource.",
            Arity = ArgumentArity.OneOrMore,
        };

        private readonly Option<string[]> _excludeResources = new("--exclude-resources")
        {
            Description = "Never follow these resources (plural or plural.group). Default: events, events.events.k8s.io.",
            Arity = ArgumentArity.OneOrMore,
        };

        private readonly Option<string[]> _relations = new("--relations")
        {
            Description = "Relation rules for connections (a RelationRules YAML or JSON file; see the README). Repeatable. Invalid rules are reported, never fatal.",
            Arity = ArgumentArity.OneOrMore,
        };

        private readonly Option<string?> _argoCdNamespace = new("--argocd-namespace")
        {
            Description = "Where Argo CD keeps its Applications: the namespace of applications recognised by a tracking id that names none. Default: argocd.",
        };

        public IEnumerable<Option> All => [_snapshot, _demo, _kubeconfig, _context, _resources, _excludeResources, _relations, _argoCdNamespace];

        public SourceOptions Read(ParseResult parsed) => new()
        {
            Demo = parsed.GetValue(_demo),
            Snapshots = parsed.GetValue(_snapshot) ?? [],
            Kubeconfig = parsed.GetValue(_kubeconfig),
            Context = parsed.GetValue(_context),
            Resources = FlagParsing.Split(parsed.GetValue(_resources)),
            ExcludeResources = parsed.GetResult(_excludeResources) is null ? null : FlagParsing.Split(parsed.GetValue(_excludeResources)),
            Relations = parsed.GetValue(_relations) ?? [],
            ArgoCdNamespace = parsed.GetValue(_argoCdNamespace) ?? Graph.Applications.ApplicationSettings.Default.ArgoNamespace,
        };
    }
}
