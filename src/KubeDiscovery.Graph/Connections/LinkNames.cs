namespace KubeDiscovery.Graph.Connections;

/// <summary>
/// The edge kinds of a connections answer, named from the user's side: the edge reads
/// "<c>from</c> <i>link</i> <c>to</c>" (a Pod <c>mounts</c> a Secret, a Service <c>selects</c> a Pod).
/// Rules for custom resources may name their own.
/// </summary>
public static class LinkNames
{
    public const string Owns = "owns";
    public const string Selects = "selects";
    public const string Mounts = "mounts";
    public const string ReadsEnvFrom = "reads-env-from";
    public const string PullsImagesWith = "pulls-images-with";
    public const string UsesServiceAccount = "uses-service-account";
    public const string RunsOn = "runs-on";
    public const string UsesPriorityClass = "uses-priority-class";
    public const string UsesRuntimeClass = "uses-runtime-class";
    public const string BoundTo = "bound-to";
    public const string UsesStorageClass = "uses-storage-class";
    public const string Attaches = "attaches";
    public const string AttachesTo = "attaches-to";
    public const string Describes = "describes";
    public const string Scales = "scales";
    public const string Protects = "protects";
    public const string AppliesTo = "applies-to";
    public const string Grants = "grants";
    public const string Binds = "binds";
    public const string Aggregates = "aggregates";
    public const string HoldsSecret = "holds-secret";
    public const string Calls = "calls";
    public const string RoutesTo = "routes-to";
    public const string EndpointsOf = "endpoints-of";
    public const string TerminatesTlsWith = "terminates-tls-with";
    public const string UsesIngressClass = "uses-ingress-class";
    public const string ConfiguredBy = "configured-by";
    public const string About = "about";
    public const string RefersTo = "refers-to";
    public const string Labels = "labels";
}
