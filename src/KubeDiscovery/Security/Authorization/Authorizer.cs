using KubeDiscovery.Security.Authentication;

namespace KubeDiscovery.Security.Authorization;

/// <summary>
/// kube-apiserver's delegated authorizer chain: always-allow groups, then always-allow paths, then a
/// SubjectAccessReview. Without a cluster to ask (a snapshot served locally) everything is allowed.
/// </summary>
internal sealed class Authorizer
{
    private readonly SubjectAccessReviewer? _reviewer;
    private readonly HashSet<string> _alwaysAllowGroups;
    private readonly IReadOnlyList<string> _alwaysAllowPaths;

    public Authorizer(SubjectAccessReviewer? reviewer, SecurityOptions options)
    {
        _reviewer = reviewer;
        _alwaysAllowGroups = new HashSet<string>(options.AlwaysAllowGroups, StringComparer.Ordinal);
        _alwaysAllowPaths = options.AlwaysAllowPaths;
    }

    /// <summary>Whether every question this user could ask is allowed without a review.</summary>
    public bool AllowsEverything(UserInfo user) => _reviewer is null || user.IsInAnyGroup(_alwaysAllowGroups);

    /// <exception cref="AuthorizationUnavailableException">The review could not be answered.</exception>
    public ValueTask<AccessDecision> AuthorizeAsync(UserInfo user, RequestAttributes attributes, CancellationToken cancellationToken)
    {
        if (AllowsEverything(user)) return ValueTask.FromResult(AccessDecision.Allowed);
        if (!attributes.IsResourceRequest && PathAllowed(attributes.Path)) return ValueTask.FromResult(AccessDecision.Allowed);
        return _reviewer!.ReviewAsync(user, attributes, cancellationToken);
    }

    private bool PathAllowed(string path)
    {
        foreach (var allowed in _alwaysAllowPaths)
        {
            if (allowed.EndsWith('*') ? path.StartsWith(allowed[..^1], StringComparison.Ordinal) : path == allowed) return true;
        }
        return false;
    }
}
