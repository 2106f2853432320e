using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Security.Authentication;

namespace KubeDiscovery.Security.Authorization;

/// <summary>
/// Removes from composition trees what the requesting user may not read, so an answer never shows an
/// object RBAC would hide. Visibility is decided per (group, resource, namespace) — not per object —
/// so a tree of any size costs a few reviews: one per distinct kind and namespace at most three
/// (all namespaces, then <c>get</c>, then <c>list</c> in the namespace), each cached.
/// </summary>
internal sealed class CompositionFilter(Authorizer authorizer)
{
    // Reviews of one request run this many at a time: enough to hide latency, few enough to be polite.
    private const int Parallelism = 8;

    /// <summary>
    /// Prunes every tree in place and returns the roots the user may see. A hidden child is dropped with
    /// everything under it, and its parent counts it in <see cref="CompositionNode.HiddenChildren"/>.
    /// </summary>
    /// <exception cref="AuthorizationUnavailableException">A review could not be answered.</exception>
    public async ValueTask<List<CompositionNode>> FilterAsync(UserInfo user, IReadOnlyList<CompositionNode> roots, CancellationToken cancellationToken)
    {
        if (authorizer.AllowsEverything(user)) return [.. roots];

        var scopes = new Dictionary<Scope, bool>();
        foreach (var root in roots) Collect(root, scopes);
        await DecideAsync(user, scopes, cancellationToken).ConfigureAwait(false);

        List<CompositionNode> visible = [];
        foreach (var root in roots)
        {
            if (!scopes[Scope.Of(root)]) continue;
            Prune(root, scopes);
            visible.Add(root);
        }
        return visible;
    }

    private static void Collect(CompositionNode node, Dictionary<Scope, bool> scopes)
    {
        scopes.TryAdd(Scope.Of(node), false);
        foreach (var child in node.Children) Collect(child, scopes);
    }

    private static void Prune(CompositionNode node, Dictionary<Scope, bool> scopes)
    {
        var hidden = node.Children.RemoveAll(child => !scopes[Scope.Of(child)]);
        node.HiddenChildren += hidden;
        foreach (var child in node.Children) Prune(child, scopes);
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

    private readonly record struct Scope(string Group, string Resource, string Namespace)
    {
        public static Scope Of(CompositionNode node) =>
            new(node.Object.Type.Group, node.Object.Type.Plural, node.Object.Namespace ?? "");
    }
}
