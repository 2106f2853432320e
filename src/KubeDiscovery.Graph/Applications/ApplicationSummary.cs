using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Graph.Status;

namespace KubeDiscovery.Graph.Applications;

/// <summary>A Helm release's newest record: its revision, its status (deployed, failed, pending-upgrade…) and when it was written.</summary>
public sealed record HelmRevision(int Revision, string Status, DateTimeOffset? Time);

/// <summary>
/// An application as one user sees it: its members' trees (already filtered by what they may read), the
/// rollup over them, the cause when it is not ready, its revision and its place among other applications.
/// </summary>
public sealed class ApplicationSummary
{
    public required AppKey Key { get; init; }

    /// <summary>The Argo CD Application, Flux Kustomization or HelmRelease it is, when that object is followed and readable.</summary>
    public ObjectRecord? Root { get; init; }

    /// <summary>The objects that are the application's own (what the user may read of them): sorted by kind, then name, when the answer shows them.</summary>
    public required IReadOnlyList<ObjectRecord> Members { get; init; }

    /// <summary>The members' trees, in <see cref="Members"/> order, when the answer shows them (one application); else empty.</summary>
    public IReadOnlyList<CompositionNode> Trees { get; init; } = [];

    public HelmRevision? Helm { get; init; }

    public AppKey? Parent { get; init; }

    public IReadOnlyList<AppKey> Children { get; init; } = [];

    /// <summary>Members (the trees' roots) that have a notion of readiness, and those of them ready.</summary>
    public int ReadyMembers { get; private init; }

    public int MembersWithStatus { get; private init; }

    /// <summary>Every object in the trees.</summary>
    public int Objects { get; private init; }

    /// <summary>Objects the user may not read, hidden from the trees.</summary>
    public int Hidden { get; private init; }

    public required IReadOnlyList<NotReadyCause> Causes { get; init; }

    /// <summary>True, False, or Unknown (nothing to judge by).</summary>
    public ReadyState Ready { get; private init; }

    /// <summary>The application's state in one word: its own object's, else its worst member's reason, else Ready.</summary>
    public string Status { get; private init; } = "";

    public string? Revision => Root?.Status.Revision ?? (Helm is { } h ? h.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);

    /// <summary>The oldest member's creation, for AGE.</summary>
    public DateTimeOffset? Created { get; private init; }

    /// <summary>Labels of the application: its own object's, else those its members agree on.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; private init; } = [];

    /// <param name="members">The members the user may read, in order.</param>
    /// <param name="counts">The objects in their trees, and those hidden (<see cref="ApplicationRollup"/>).</param>
    /// <param name="causes">Why the not-ready members are not ready.</param>
    public static ApplicationSummary Of(AppKey key, ObjectRecord? root, IReadOnlyList<ObjectRecord> members, IReadOnlyList<CompositionNode> trees,
        (int Objects, int Hidden) counts, IReadOnlyList<NotReadyCause> causes, HelmRevision? helm, AppKey? parent, IReadOnlyList<AppKey> children)
    {
        int ready = 0, judged = 0;
        DateTimeOffset? created = root?.CreationTimestamp;
        ObjectRecord? worst = null;
        foreach (var member in members)
        {
            var status = member.Status;
            if (status.Ready != ReadyState.None) judged++;
            if (status.Ready == ReadyState.True) ready++;
            // The first not-ready member in the members' order (kind, then name), whatever order they come in.
            if (status.Ready == ReadyState.False && (worst is null || CompositionRoots.Order(member, worst) < 0)) worst = member;
            if (member.CreationTimestamp is { } c && (created is null || c < created)) created = c;
        }
        var rootStatus = root?.Status;
        ReadyState state;
        string text;
        if (rootStatus is { Ready: ReadyState.False })
        {
            (state, text) = (ReadyState.False, rootStatus.Reason ?? "NotReady");
        }
        else if (helm is { Status: not "deployed" and not "superseded" } h)
        {
            (state, text) = (h.Status.StartsWith("pending", StringComparison.Ordinal) ? ReadyState.Unknown : ReadyState.False, h.Status);
        }
        else if (worst is not null)
        {
            (state, text) = (ReadyState.False, worst.Status.Reason ?? "NotReady");
        }
        else if (rootStatus is { Ready: ReadyState.Unknown, Reason: { } progressing })
        {
            (state, text) = (ReadyState.Unknown, progressing);
        }
        else
        {
            state = judged > 0 || rootStatus is { Ready: ReadyState.True } ? ReadyState.True : ReadyState.Unknown;
            text = rootStatus?.Reason is { } r && rootStatus.Ready == ReadyState.True ? r : judged > 0 ? "Ready" : "-";
        }
        return new ApplicationSummary
        {
            Key = key,
            Root = root,
            Members = members,
            Trees = trees,
            Helm = helm,
            Parent = parent,
            Children = children,
            ReadyMembers = ready,
            MembersWithStatus = judged,
            Objects = counts.Objects,
            Hidden = counts.Hidden,
            Causes = causes,
            Ready = state,
            Status = text,
            Created = created,
            Labels = root?.Labels ?? CommonLabels(members),
        };
    }

    /// <summary>This application placed among others: a list reads parents and children per answer, the rest may be kept.</summary>
    public ApplicationSummary InFamily(AppKey? parent, IReadOnlyList<AppKey> children) =>
        parent == Parent && children.Count == 0 && Children.Count == 0 ? this : new ApplicationSummary
        {
            Key = Key,
            Root = Root,
            Members = Members,
            Trees = Trees,
            Helm = Helm,
            Parent = parent,
            Children = children,
            ReadyMembers = ReadyMembers,
            MembersWithStatus = MembersWithStatus,
            Objects = Objects,
            Hidden = Hidden,
            Causes = Causes,
            Ready = Ready,
            Status = Status,
            Created = Created,
            Labels = Labels,
        };

    /// <summary>
    /// An application that only groups others (<c>app.kubernetes.io/part-of</c> with no objects of its own):
    /// its rollup is its children's — how many are ready, the first not-ready one's status and causes.
    /// </summary>
    public ApplicationSummary GroupOf(IReadOnlyList<ApplicationSummary> children)
    {
        if (Members.Count > 0 || children.Count == 0) return this;
        var worst = children.FirstOrDefault(c => c.Ready == ReadyState.False);
        return new ApplicationSummary
        {
            Key = Key,
            Root = Root,
            Members = Members,
            Trees = Trees,
            Helm = Helm,
            Parent = Parent,
            Children = Children,
            ReadyMembers = children.Count(c => c.Ready == ReadyState.True),
            MembersWithStatus = children.Count,
            Objects = children.Sum(c => c.Objects),
            Hidden = children.Sum(c => c.Hidden),
            Causes = children.SelectMany(c => c.Causes).Take(NotReadyCauses.DefaultMax).ToList(),
            Ready = worst is not null ? ReadyState.False : children.All(c => c.Ready == ReadyState.True) ? ReadyState.True : ReadyState.Unknown,
            Status = worst is not null ? $"{worst.Key.ItemName}: {worst.Status}" : children.All(c => c.Ready == ReadyState.True) ? "Ready" : "-",
            Created = children.Min(c => c.Created),
            Labels = Labels,
        };
    }

    // The labels every member carries with the same value: what `-l app.kubernetes.io/name=cart` matches.
    // Written without a closure per member: a list of 2,000 applications calls it 2,000 times.
    private static IReadOnlyList<KeyValuePair<string, string>> CommonLabels(IReadOnlyList<ObjectRecord> members)
    {
        if (members.Count == 0) return [];
        var first = members[0].Labels;
        if (first.Count == 0) return first;
        Span<bool> dropped = first.Count <= 64 ? stackalloc bool[first.Count] : new bool[first.Count];
        var left = first.Count;
        for (var i = 1; i < members.Count && left > 0; i++)
        {
            var labels = members[i].Labels;
            if (ReferenceEquals(labels, first)) continue;
            for (var l = 0; l < first.Count; l++)
            {
                if (dropped[l]) continue;
                if (ApplicationMarkers.Label(labels, first[l].Key) != first[l].Value)
                {
                    dropped[l] = true;
                    left--;
                }
            }
        }
        if (left == first.Count) return first; // shared: the records' arrays never change
        var common = new KeyValuePair<string, string>[left];
        for (int l = 0, at = 0; l < first.Count; l++)
        {
            if (!dropped[l]) common[at++] = first[l];
        }
        return common;
    }
}
