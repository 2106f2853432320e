using KubeDiscovery.Graph.Connections.Extraction;
using static KubeDiscovery.Graph.Connections.LinkNames;

namespace KubeDiscovery.Graph.Connections;

/// <summary>
/// The relations of built-in kinds, as data: for each kind, the paths read at ingest and what they
/// name. Custom resources get theirs from rules (<see cref="Rules.RelationRuleSet"/>) in the same form.
/// </summary>
public static class BuiltInRelations
{
    private const string Rbac = "rbac.authorization.k8s.io";
    private const string Storage = "storage.k8s.io";
    private const string Networking = "networking.k8s.io";

    /// <summary>The label that marks a ConfigMap whose data holds relation rules.</summary>
    public const string RulesConfigMapLabel = "kubediscovery.io/relations";

    /// <summary>Captures by (group, kind).</summary>
    public static IReadOnlyDictionary<(string Group, string Kind), Capture[]> Captures { get; } = Build();

    /// <summary>Links taken from identity, by (group, kind).</summary>
    public static IReadOnlyDictionary<(string Group, string Kind), DerivedLink[]> Derived { get; } = new Dictionary<(string, string), DerivedLink[]>
    {
        [("", "Endpoints")] = [new(EndpointsOf, "", "Service", null)],
        [("discovery.k8s.io", "EndpointSlice")] = [new(EndpointsOf, "", "Service", "kubernetes.io/service-name")],
        [(Storage, "CSINode")] = [new(Describes, "", "Node", null)],
    };

    // Built-in kinds that are cluster-scoped: a reference to one carries no namespace.
    private static readonly HashSet<(string Group, string Kind)> ClusterScoped =
    [
        ("", "Node"), ("", "PersistentVolume"), ("", "Namespace"), ("", "ComponentStatus"),
        (Storage, "StorageClass"), (Storage, "CSINode"), (Storage, "CSIDriver"), (Storage, "VolumeAttachment"),
        ("scheduling.k8s.io", "PriorityClass"), ("node.k8s.io", "RuntimeClass"), (Networking, "IngressClass"),
        (Rbac, "ClusterRole"), (Rbac, "ClusterRoleBinding"), ("apiextensions.k8s.io", "CustomResourceDefinition"),
        ("apiregistration.k8s.io", "APIService"), ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"), ("certificates.k8s.io", "CertificateSigningRequest"),
        ("policy", "PodSecurityPolicy"),
    ];

    /// <summary>Whether a built-in kind is cluster-scoped; null when it is not a built-in one this table knows.</summary>
    public static bool IsClusterScoped(string group, string kind) => ClusterScoped.Contains((group, kind));

    private static Dictionary<(string, string), Capture[]> Build()
    {
        Dictionary<(string, string), List<Capture>> all = [];
        void Add((string, string) kind, string path, CaptureKind capture, string link = "", string group = "", string target = "", bool perObject = false, bool unique = false) =>
            (all.TryGetValue(kind, out var list) ? list : all[kind] = []).Add(new Capture(Steps(path), capture, link, group, target, PerObject: perObject, Unique: unique));

        void PodSpec((string, string) kind, string at)
        {
            Add(kind, $"{at}.volumes[].configMap.name", CaptureKind.Name, Mounts, "", "ConfigMap");
            Add(kind, $"{at}.volumes[].secret.secretName", CaptureKind.Name, Mounts, "", "Secret");
            // A claim is most often one Pod's own (a StatefulSet's data-web-0): kept apart, not shared.
            Add(kind, $"{at}.volumes[].persistentVolumeClaim.claimName", CaptureKind.Name, Mounts, "", "PersistentVolumeClaim", perObject: kind.Item2 == "Pod");
            Add(kind, $"{at}.volumes[].projected.sources[].configMap.name", CaptureKind.Name, Mounts, "", "ConfigMap");
            Add(kind, $"{at}.volumes[].projected.sources[].secret.name", CaptureKind.Name, Mounts, "", "Secret");
            foreach (var containers in new[] { "containers", "initContainers", "ephemeralContainers" })
            {
                Add(kind, $"{at}.{containers}[].env[].valueFrom.configMapKeyRef.name", CaptureKind.Name, ReadsEnvFrom, "", "ConfigMap");
                Add(kind, $"{at}.{containers}[].env[].valueFrom.secretKeyRef.name", CaptureKind.Name, ReadsEnvFrom, "", "Secret");
                Add(kind, $"{at}.{containers}[].envFrom[].configMapRef.name", CaptureKind.Name, ReadsEnvFrom, "", "ConfigMap");
                Add(kind, $"{at}.{containers}[].envFrom[].secretRef.name", CaptureKind.Name, ReadsEnvFrom, "", "Secret");
            }
            Add(kind, $"{at}.imagePullSecrets[].name", CaptureKind.Name, PullsImagesWith, "", "Secret");
            Add(kind, $"{at}.serviceAccountName", CaptureKind.Name, UsesServiceAccount, "", "ServiceAccount");
            Add(kind, $"{at}.nodeName", CaptureKind.Name, RunsOn, "", "Node", perObject: true);
            Add(kind, $"{at}.priorityClassName", CaptureKind.Name, UsesPriorityClass, "scheduling.k8s.io", "PriorityClass");
            Add(kind, $"{at}.runtimeClassName", CaptureKind.Name, UsesRuntimeClass, "node.k8s.io", "RuntimeClass");
        }

        PodSpec(("", "Pod"), "spec");
        foreach (var workload in new[] { ("apps", "Deployment"), ("apps", "ReplicaSet"), ("apps", "StatefulSet"), ("apps", "DaemonSet"), ("batch", "Job"), ("", "ReplicationController"), ("", "PodTemplate") })
        {
            PodSpec(workload, workload.Item2 == "PodTemplate" ? "template.spec" : "spec.template.spec");
        }
        PodSpec(("batch", "CronJob"), "spec.jobTemplate.spec.template.spec");
        Add(("apps", "StatefulSet"), "spec.volumeClaimTemplates[].metadata.name", CaptureKind.ClaimTemplate, Mounts, "", "PersistentVolumeClaim");
        Add(("apps", "StatefulSet"), "spec.volumeClaimTemplates[].spec.storageClassName", CaptureKind.Name, UsesStorageClass, Storage, "StorageClass");

        Add(("", "Service"), "spec.selector", CaptureKind.SelectorMap, Selects, "", "Pod");
        foreach (var addresses in new[] { "addresses", "notReadyAddresses" })
        {
            Add(("", "Endpoints"), $"subsets[].{addresses}[].targetRef", CaptureKind.ObjectReference, RoutesTo, "", "Pod");
        }
        Add(("discovery.k8s.io", "EndpointSlice"), "endpoints[].targetRef", CaptureKind.ObjectReference, RoutesTo, "", "Pod");

        foreach (var ingress in new[] { (Networking, "Ingress"), ("extensions", "Ingress") })
        {
            foreach (var backend in new[] { "spec.rules[].http.paths[].backend", "spec.defaultBackend", "spec.backend" })
            {
                Add(ingress, $"{backend}.service.name", CaptureKind.Name, RoutesTo, "", "Service");
                Add(ingress, $"{backend}.serviceName", CaptureKind.Name, RoutesTo, "", "Service");
                Add(ingress, $"{backend}.resource", CaptureKind.ObjectReference, RoutesTo);
            }
            Add(ingress, "spec.tls[].secretName", CaptureKind.Name, TerminatesTlsWith, "", "Secret");
            Add(ingress, "spec.ingressClassName", CaptureKind.Name, UsesIngressClass, Networking, "IngressClass");
        }
        Add((Networking, "IngressClass"), "spec.parameters", CaptureKind.ObjectReference, ConfiguredBy);

        Add(("", "PersistentVolumeClaim"), "spec.volumeName", CaptureKind.Name, BoundTo, "", "PersistentVolume", perObject: true, unique: true);
        Add(("", "PersistentVolumeClaim"), "spec.storageClassName", CaptureKind.Name, UsesStorageClass, Storage, "StorageClass");
        Add(("", "PersistentVolume"), "spec.claimRef", CaptureKind.ObjectReference, BoundTo, "", "PersistentVolumeClaim", perObject: true, unique: true);
        Add(("", "PersistentVolume"), "spec.storageClassName", CaptureKind.Name, UsesStorageClass, Storage, "StorageClass");
        Add((Storage, "VolumeAttachment"), "spec.nodeName", CaptureKind.Name, AttachesTo, "", "Node");
        Add((Storage, "VolumeAttachment"), "spec.source.persistentVolumeName", CaptureKind.Name, Attaches, "", "PersistentVolume");

        foreach (var hpa in new[] { "autoscaling" })
        {
            Add((hpa, "HorizontalPodAutoscaler"), "spec.scaleTargetRef", CaptureKind.ObjectReference, Scales);
        }
        Add(("policy", "PodDisruptionBudget"), "spec.selector", CaptureKind.Selector, Protects, "", "Pod");
        Add((Networking, "NetworkPolicy"), "spec.podSelector", CaptureKind.Selector, AppliesTo, "", "Pod");

        foreach (var binding in new[] { (Rbac, "RoleBinding"), (Rbac, "ClusterRoleBinding") })
        {
            Add(binding, "roleRef", CaptureKind.ObjectReference, Grants, Rbac);
            Add(binding, "subjects[]", CaptureKind.ObjectReference, Binds, "", "ServiceAccount");
        }
        Add((Rbac, "ClusterRole"), "aggregationRule.clusterRoleSelectors[]", CaptureKind.Selector, Aggregates, Rbac, "ClusterRole");
        Add(("", "ServiceAccount"), "secrets[]", CaptureKind.ObjectReference, HoldsSecret, "", "Secret");
        Add(("", "ServiceAccount"), "imagePullSecrets[].name", CaptureKind.Name, PullsImagesWith, "", "Secret");

        foreach (var webhook in new[] { "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration" })
        {
            Add(("admissionregistration.k8s.io", webhook), "webhooks[].clientConfig.service", CaptureKind.ObjectReference, Calls, "", "Service");
        }
        Add(("apiregistration.k8s.io", "APIService"), "spec.service", CaptureKind.ObjectReference, Calls, "", "Service");
        Add(("", "Event"), "involvedObject", CaptureKind.ObjectReference, About);
        Add(("events.k8s.io", "Event"), "regarding", CaptureKind.ObjectReference, About);

        // Rule sources: a CRD's KubePlus annotations, a labelled ConfigMap's data.
        all[("apiextensions.k8s.io", "CustomResourceDefinition")] = [new Capture(["metadata", "annotations"], CaptureKind.Notes, NotePrefix: "resource/")];
        all[("", "ConfigMap")] = [new Capture(["data"], CaptureKind.Notes)];

        return all.ToDictionary(p => p.Key, p => p.Value.ToArray());
    }

    internal static string[] Steps(string path)
    {
        List<string> steps = [];
        foreach (var part in path.Split('.'))
        {
            if (part.EndsWith(PathNode.Items, StringComparison.Ordinal))
            {
                steps.Add(part[..^PathNode.Items.Length]);
                steps.Add(PathNode.Items);
            }
            else
            {
                steps.Add(part);
            }
        }
        return [.. steps];
    }
}
