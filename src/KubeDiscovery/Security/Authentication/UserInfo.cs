namespace KubeDiscovery.Security.Authentication;

/// <summary>Who is asking, as Kubernetes' <c>user.Info</c>: name, uid, groups and extra attributes.</summary>
internal sealed record UserInfo(
    string Name,
    string? Uid,
    IReadOnlyList<string> Groups,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Extra)
{
    public const string AnonymousName = "system:anonymous";
    public const string AuthenticatedGroup = "system:authenticated";
    public const string UnauthenticatedGroup = "system:unauthenticated";

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoExtra = new Dictionary<string, IReadOnlyList<string>>();

    public static UserInfo Anonymous { get; } = new(AnonymousName, null, [UnauthenticatedGroup], NoExtra);

    public static UserInfo Create(string name, string? uid = null, IReadOnlyList<string>? groups = null,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? extra = null) =>
        new(name, uid, groups ?? [], extra ?? NoExtra);

    public bool IsAnonymous => Name == AnonymousName;

    /// <summary>
    /// Appends <c>system:authenticated</c> as kube-apiserver's AuthenticatedGroupAdder does: RBAC grants
    /// discovery and most default roles through it.
    /// </summary>
    public UserInfo WithAuthenticatedGroup()
    {
        if (IsAnonymous) return this;
        foreach (var group in Groups)
        {
            if (group is AuthenticatedGroup or UnauthenticatedGroup) return this;
        }
        return this with { Groups = [.. Groups, AuthenticatedGroup] };
    }

    public bool IsInAnyGroup(IReadOnlyCollection<string> groups)
    {
        foreach (var group in Groups)
        {
            if (groups.Contains(group)) return true;
        }
        return false;
    }

    public override string ToString() => Name;
}
