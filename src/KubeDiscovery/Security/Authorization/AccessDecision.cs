namespace KubeDiscovery.Security.Authorization;

internal enum AccessOutcome
{
    /// <summary>Nobody allowed or denied: kube-apiserver ends this in 403 too.</summary>
    NoOpinion,
    Allow,
    Deny,
}

/// <summary>An authorizer's answer, with the reason RBAC or a webhook gave.</summary>
internal readonly record struct AccessDecision(AccessOutcome Outcome, string Reason)
{
    public static AccessDecision Allowed { get; } = new(AccessOutcome.Allow, "");

    public bool IsAllowed => Outcome == AccessOutcome.Allow;
}
