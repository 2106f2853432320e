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

    /// <summary>What each built-in edge means, for the README and the OpenAPI description.</summary>
    public static readonly IReadOnlyList<(string Name, string Meaning)> Documented =
    [
        (Owns, "the owner of an object (metadata.ownerReferences) → the object"),
        (Selects, "a Service → the Pods its selector matches"),
        (Mounts, "a Pod or pod template → a ConfigMap, Secret or PersistentVolumeClaim in its volumes (projected too); a StatefulSet → the claims of its volumeClaimTemplates"),
        (ReadsEnvFrom, "a Pod or pod template → a ConfigMap or Secret named by env[].valueFrom or envFrom"),
        (PullsImagesWith, "a Pod, pod template or ServiceAccount → a Secret in imagePullSecrets"),
        (UsesServiceAccount, "a Pod or pod template → its ServiceAccount"),
        (RunsOn, "a Pod → its Node"),
        (UsesPriorityClass, "a Pod or pod template → its PriorityClass"),
        (UsesRuntimeClass, "a Pod or pod template → its RuntimeClass"),
        (BoundTo, "a PersistentVolumeClaim → its PersistentVolume, and a PersistentVolume → its claim"),
        (UsesStorageClass, "a PersistentVolumeClaim, PersistentVolume or claim template → its StorageClass"),
        (Attaches, "a VolumeAttachment → its PersistentVolume"),
        (AttachesTo, "a VolumeAttachment → its Node"),
        (Describes, "a CSINode → its Node"),
        (Scales, "a HorizontalPodAutoscaler → its scale target"),
        (Protects, "a PodDisruptionBudget → the Pods its selector matches"),
        (AppliesTo, "a NetworkPolicy → the Pods its podSelector matches"),
        (Grants, "a RoleBinding or ClusterRoleBinding → its Role or ClusterRole"),
        (Binds, "a RoleBinding or ClusterRoleBinding → its ServiceAccount subjects"),
        (Aggregates, "a ClusterRole with an aggregationRule → the ClusterRoles it aggregates"),
        (HoldsSecret, "a ServiceAccount → the Secrets in its secrets list"),
        (Calls, "a webhook configuration or APIService → the Service it calls"),
        (RoutesTo, "an Ingress → its backend Services; Endpoints or an EndpointSlice → its target Pods"),
        (EndpointsOf, "Endpoints or an EndpointSlice → its Service"),
        (TerminatesTlsWith, "an Ingress → the Secret of its tls section"),
        (UsesIngressClass, "an Ingress → its IngressClass"),
        (ConfiguredBy, "an IngressClass → its parameters object"),
        (About, "an Event → its involved object"),
        (RefersTo, "a custom resource → what a rule says its spec or annotation names (the default name of rule edges)"),
        (Labels, "a custom resource → the objects carrying its name in a label (a label-relationship rule)"),
    ];
}
