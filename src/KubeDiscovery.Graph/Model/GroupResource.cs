namespace KubeDiscovery.Graph.Model;

/// <summary>The version-independent identity of an API resource, e.g. <c>deployments.apps</c>.</summary>
public readonly record struct GroupResource(string Group, string Resource)
{
    /// <summary>The <c>plural.group</c> form kubectl prints (just <c>plural</c> for the core group).</summary>
    public override string ToString() => Group.Length == 0 ? Resource : $"{Resource}.{Group}";
}
