namespace KubeDiscovery.Graph.Connections;

/// <summary>
/// How far a connections answer goes: depth, direction, which edge kinds it follows, and whether it walks
/// through hubs — objects that half the cluster points at (a Node, a Namespace, the default
/// ServiceAccount, a StorageClass). A hub is shown where it is met but, unless it is the root or named in
/// <see cref="Through"/>, not walked through: from one Deployment, depth 5 would otherwise reach every Pod
/// on its Node and everything in <c>kube-system</c>.
/// </summary>
public sealed record ConnectionWalk
{
    /// <summary>Kinds not walked through by default (group, kind).</summary>
    public static readonly IReadOnlySet<(string Group, string Kind)> HubKinds = new HashSet<(string, string)>
    {
        ("", "Node"),
        ("", "Namespace"),
        ("", "ServiceAccount"),
        ("storage.k8s.io", "StorageClass"),
        ("storage.k8s.io", "CSIDriver"),
        ("scheduling.k8s.io", "PriorityClass"),
        ("node.k8s.io", "RuntimeClass"),
        ("networking.k8s.io", "IngressClass"),
        ("rbac.authorization.k8s.io", "ClusterRole"),
        ("policy", "PodSecurityPolicy"),
    };

    public int Depth { get; init; } = 1;

    public Direction Direction { get; init; } = Direction.Both;

    /// <summary>Only edges of these kinds (<see cref="LinkNames"/>); null for all.</summary>
    public IReadOnlySet<string>? Kinds { get; init; }

    /// <summary>Hub kinds to walk through after all (by kind name); <see cref="AllHubs"/> for every one.</summary>
    public IReadOnlySet<string> Through { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Walk through every hub.</summary>
    public bool AllHubs { get; init; }

    /// <summary>Whether a node of this kind, met below the root, is expanded.</summary>
    public bool Expands(string group, string kind) => AllHubs || !HubKinds.Contains((group, kind)) || Through.Contains(kind);

    public bool Follows(string link) => Kinds is null || Kinds.Contains(link);
}

/// <summary>
/// One answer's allowance, shared by every root of a list: nodes it may hold and neighbours it may look
/// at. The second bounds the work of an answer whose nodes are few but whose edges are many (a Secret
/// two thousand Pods mount, met again and again at every depth).
/// </summary>
public sealed class ConnectionBudget(int nodes, long steps)
{
    /// <summary>Neighbours looked at per node the answer may hold.</summary>
    public const int StepsPerNode = 50;

    public int Nodes { get; internal set; } = nodes;

    public long Steps { get; internal set; } = steps;

    /// <summary>Nothing more fits: a list stops here (and continues on its next page).</summary>
    public bool Spent => Nodes <= 0 || Steps <= 0;

    public static ConnectionBudget For(int maxNodes) => new(maxNodes, (long)maxNodes * StepsPerNode);

    /// <summary>The same allowance, to spend on a dry run (what visibility must be decided for) without touching this one.</summary>
    public ConnectionBudget Copy() => new(Nodes, Steps);
}
