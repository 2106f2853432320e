namespace KubeDiscovery.Graph.Model;

/// <summary>The precomputed status summary of an object: readiness with the reason and message behind it.</summary>
public sealed record ObjectStatus(ReadyState Ready, string? Reason = null, string? Message = null)
{
    /// <summary>
    /// For a Pod that is not ready, what its containers say is wrong (a waiting or terminated reason and
    /// its message, with the restarts): <c>ImagePullBackOff: Back-off pulling image "cart:1.4"</c>.
    /// </summary>
    public string? Cause { get; init; }

    /// <summary>For an application's own object (an Argo CD Application, a Flux Kustomization), the revision it applied.</summary>
    public string? Revision { get; init; }

    /// <summary>Shared instance for objects with no status rule, so most records allocate nothing for status.</summary>
    public static readonly ObjectStatus None = new(ReadyState.None);

    /// <summary>
    /// The value of the API's <c>status.ready</c> field: <c>-</c> for kinds with no notion of readiness
    /// (a ConfigMap, a Service), as tables draw them, so that <c>Unknown</c> means only what it says for
    /// kinds that have conditions, and no reader paints a ConfigMap as a warning.
    /// </summary>
    public string ReadyText => Ready switch
    {
        ReadyState.True => "True",
        ReadyState.False => "False",
        ReadyState.Unknown => "Unknown",
        _ => "-",
    };
}
