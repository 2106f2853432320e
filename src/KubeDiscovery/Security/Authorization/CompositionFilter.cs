using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Index;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Security.Authentication;

namespace KubeDiscovery.Security.Authorization;

/// <summary>
/// Removes from composition trees what the requesting user may not read, so an answer never shows an
/// object RBAC would hide. Visibility is decided per (group, resource, namespace) — not per object —
/// decided before the tree is built, so a hidden object never shapes the answer, and a tree of any size costs a few reviews: one per distinct kind and namespace at most three
/// (all namespaces, then <c>get</c>, then <c>list</c> in the namespace), each cached.
/// </summary>
internal sealed class CompositionFilter(Authorizer authorizer)
{
    // Reviews of one request run this many at a time: enough to hide latency, few enough to be polite.
    private const int Parallelism = 8;

    /// <summary>
    /// Which objects <paramref name="user"/> may see among <paramref name="reachable"/> (what the answer can
    /// contain: <see cref="CompositionBuilder.Reachable"/>); null when the user may see everything. An
    /// object outside <paramref name="reachable"/> counts as hidden.
    /// </summary>
    /// <exception cref="AuthorizationUnavailableException">A review could not be answered.</exception>
    public async ValueTask<Func<ObjectRecord, bool>?> VisibilityAsync(UserInfo user, IEnumerable<ObjectRecord> reachable, CancellationToken cancellationToken)
    {
        var scopes = await ScopesAsync(user, reachable.Select(r => (r.Type.Group, r.Type.Plural, r.Namespace ?? "")), cancellationToken).ConfigureAwait(false);
        return scopes is null ? null : record => scopes(record.Type.Group, record.Type.Plural, record.Namespace ?? "");
    }

    /// <summary>Whether <paramref name="user"/> may read everything, so no answer needs filtering (and no scan of what to decide).</summary>
    public bool SeesEverything(UserInfo user) => authorizer.AllowsEverything(user);

    /// <summary>
    /// The records of <paramref name="records"/> that <paramref name="user"/> may read, in their order: what
    /// a list pages, counts and cuts, so no page size, count or warning says anything of hidden ones.
    /// </summary>
    /// <exception cref="AuthorizationUnavailableException">A review could not be answered.</exception>
    public async ValueTask<IReadOnlyList<ObjectRecord>> ReadableAsync(UserInfo user, IReadOnlyList<ObjectRecord> records, CancellationToken cancellationToken)
    {
        var visible = await VisibilityAsync(user, records, cancellationToken).ConfigureAwait(false);
        return visible is null ? records : records.Where(visible).ToList();
    }

    /// <summary>
    /// Which of <paramref name="scopes"/> (group, resource, namespace or "") <paramref name="user"/> may
    /// read; null when everything. A scope not asked about counts as hidden. For answers whose nodes may
    /// not exist (connections, dangling references): visibility follows the kind and namespace, not the object.
    /// </summary>
    /// <exception cref="AuthorizationUnavailableException">A review could not be answered.</exception>
    public async ValueTask<Func<string, string, string, bool>?> ScopesAsync(UserInfo user, IEnumerable<(string Group, string Resource, string Namespace)> scopes, CancellationToken cancellationToken)
    {
        if (SeesEverything(user)) return null;
        var decided = new Dictionary<Scope, bool>();
        foreach (var (group, resource, ns) in scopes) decided.TryAdd(new Scope(group, resource, ns), false);
        await DecideAsync(user, decided, cancellationToken).ConfigureAwait(false);
        return (group, resource, ns) => decided.TryGetValue(new Scope(group, resource, ns), out var allowed) && allowed;
    }

    /// <summary>
    /// The trees of <paramref name="roots"/> as <paramref name="user"/> may see them, as one answer: a root
    /// they may not read is left out; a hidden child is left out with everything under it (and counted,
    /// unless <paramref name="options"/> says not to).
    /// </summary>
    /// <exception cref="AuthorizationUnavailableException">A review could not be answered.</exception>
    public async ValueTask<CompositionAnswer> BuildAsync(UserInfo user, ClusterIndex index, IReadOnlyList<ObjectRecord> roots,
        int? maxDepth, CompositionOptions options, CancellationToken cancellationToken)
    {
        var visible = await VisibilityAsync(user, new CompositionBuilder(index, options).Reachable(roots, maxDepth), cancellationToken).ConfigureAwait(false);
        var builder = new CompositionBuilder(index, visible is null ? options : options with { IsVisible = visible });
        var trees = builder.BuildAll(visible is null ? roots : roots.Where(visible), maxDepth);
        return new CompositionAnswer(trees, builder.BudgetExhausted, options.MaxNodes);
    }

    private async Task DecideAsync(UserInfo user, Dictionary<Scope, bool> scopes, CancellationToken cancellationToken)
    {
        var keys = scopes.Keys.ToList();
        var answers = new bool[keys.Count];
        await Parallel.ForAsync(0, keys.Count, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, ct) => answers[i] = await CanReadAsync(user, keys[i], ct).ConfigureAwait(false)).ConfigureAwait(false);
        for (var i = 0; i < keys.Count; i++) scopes[keys[i]] = answers[i];
    }

    // May get (or list) objects of this resource here. A namespaced resource is first asked for all
    // namespaces: one cached answer then covers every namespace of a cluster-wide reader.
    private async Task<bool> CanReadAsync(UserInfo user, Scope scope, CancellationToken cancellationToken)
    {
        if (scope.Namespace.Length > 0 && await Allowed(user, "get", scope, "", cancellationToken).ConfigureAwait(false)) return true;
        return await Allowed(user, "get", scope, scope.Namespace, cancellationToken).ConfigureAwait(false)
            || await Allowed(user, "list", scope, scope.Namespace, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> Allowed(UserInfo user, string verb, Scope scope, string @namespace, CancellationToken cancellationToken)
    {
        var decision = await authorizer.AuthorizeAsync(user, RequestAttributes.ForObjects(verb, scope.Group, scope.Resource, @namespace), cancellationToken).ConfigureAwait(false);
        return decision.IsAllowed;
    }

    private readonly record struct Scope(string Group, string Resource, string Namespace);
}

/// <summary>The trees of one answer, and whether the node budget cut them.</summary>
internal sealed record CompositionAnswer(List<CompositionNode> Trees, bool Cut, int MaxNodes)
{
    /// <summary>The <c>Warning</c> header value kubectl prints when the answer was cut, or null.</summary>
    public string? Warning => Cut
        ? $"299 - \"the answer was cut at {MaxNodes} nodes (truncated: true marks where): page with ?limit=, ask a smaller ?depth, or a single object\""
        : null;
}
