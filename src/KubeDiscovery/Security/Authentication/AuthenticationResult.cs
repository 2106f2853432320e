namespace KubeDiscovery.Security.Authentication;

/// <summary>
/// One authenticator's verdict: a user, an error (the credential was presented and is bad), or neither
/// (no credential of its kind: the next authenticator decides).
/// </summary>
internal readonly record struct AuthenticationResult(UserInfo? User, string? Error)
{
    public static AuthenticationResult NoOpinion => default;

    public static AuthenticationResult Success(UserInfo user) => new(user, null);

    public static AuthenticationResult Failure(string error) => new(null, error);
}
