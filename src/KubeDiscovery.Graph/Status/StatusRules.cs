using System.Text.Json;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Status;

/// <summary>
/// Derives an object's readiness the way <c>kubectl tree</c> users read it: the <c>Ready</c> condition,
/// else <c>Available</c>, else a rule for the kind (Pod phase, Job completion, replica counts).
/// </summary>
public static class StatusRules
{
    // Built-in kinds whose status never feeds Summarize: no Ready/Available condition and no kind rule.
    // A live source may fetch only their metadata. Everything else (custom resources included, whose
    // conditions are unknown) needs the full object.
    private static readonly HashSet<(string Group, string Kind)> StatusFreeKinds =
    [
        ("", "ConfigMap"), ("", "Secret"), ("", "ServiceAccount"), ("", "Service"), ("", "Endpoints"),
        ("", "Namespace"), ("", "PersistentVolumeClaim"), ("", "PersistentVolume"), ("", "LimitRange"),
        ("", "ResourceQuota"), ("", "PodTemplate"), ("", "Event"),
        ("apps", "ControllerRevision"), ("batch", "CronJob"),
        ("rbac.authorization.k8s.io", "Role"), ("rbac.authorization.k8s.io", "RoleBinding"),
        ("rbac.authorization.k8s.io", "ClusterRole"), ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
        ("discovery.k8s.io", "EndpointSlice"), ("events.k8s.io", "Event"),
        ("networking.k8s.io", "Ingress"), ("networking.k8s.io", "IngressClass"), ("networking.k8s.io", "NetworkPolicy"),
        ("extensions", "Ingress"), ("policy", "PodDisruptionBudget"), ("policy", "PodSecurityPolicy"),
        ("coordination.k8s.io", "Lease"), ("scheduling.k8s.io", "PriorityClass"), ("node.k8s.io", "RuntimeClass"),
        ("storage.k8s.io", "StorageClass"), ("storage.k8s.io", "CSIDriver"), ("storage.k8s.io", "CSINode"),
        ("storage.k8s.io", "CSIStorageCapacity"), ("autoscaling", "HorizontalPodAutoscaler"),
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
        ("apiextensions.k8s.io", "CustomResourceDefinition"), ("certificates.k8s.io", "CertificateSigningRequest"),
    ];

    /// <summary>True when <see cref="Summarize(string, string, System.Text.Json.JsonElement, long?)"/> reads nothing but metadata for this kind.</summary>
    public static bool IsStatusFree(string group, string kind) => StatusFreeKinds.Contains((group, kind));

    /// <summary>True when <see cref="Summarize(string, string, JsonElement)"/> reads <c>spec.replicas</c> for this kind.</summary>
    public static bool ReadsSpecReplicas(string group, string kind) => SpecReplicasKinds.Contains((group, kind));

    /// <summary>The kinds whose rule reads <c>spec.replicas</c>.</summary>
    public static IReadOnlyList<(string Group, string Kind)> SpecReplicasKinds { get; } =
        [("apps", "ReplicaSet"), ("", "ReplicationController"), ("apps", "StatefulSet"), ("apps", "Deployment")];

    public static ObjectStatus Summarize(string group, string kind, JsonElement obj)
    {
        var status = obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty("status", out var st) ? st : default;
        var spec = obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty("spec", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
        return Summarize(group, kind, status, Int(spec, "replicas"));
    }

    /// <summary>The same, from the object's <c>status</c> alone and its <c>spec.replicas</c> (for readers that skip the rest).</summary>
    public static ObjectStatus Summarize(string group, string kind, JsonElement status, long? specReplicas)
    {
        if (status.ValueKind != JsonValueKind.Object) status = default;

        if ((group, kind) == ("argoproj.io", "Application")) return ApplicationRules.ArgoCd(status);
        if (status.ValueKind == JsonValueKind.Object
            && status.TryGetProperty("conditions", out var conditions) && conditions.ValueKind == JsonValueKind.Array)
        {
            var fromCondition = FromCondition(conditions, "Ready") ?? FromCondition(conditions, "Available");
            if (fromCondition is not null)
            {
                if (kind == "Pod" && group.Length == 0 && fromCondition.Ready != ReadyState.True) return fromCondition with { Cause = ApplicationRules.PodCause(status) };
                if (ApplicationRules.AppliesRevision(group, kind)) return fromCondition with { Revision = ApplicationRules.FluxRevision(status) };
                return fromCondition;
            }
        }

        return (group, kind) switch
        {
            ("", "Pod") => Pod(status) is var pod && pod.Ready == ReadyState.True ? pod : pod with { Cause = ApplicationRules.PodCause(status) },
            ("batch", "Job") => Job(status),
            ("apps", "ReplicaSet") or ("", "ReplicationController") or ("apps", "StatefulSet") =>
                Replicas(specReplicas ?? 1, Int(status, "readyReplicas") ?? 0, "ready"),
            ("apps", "Deployment") =>
                Replicas(specReplicas ?? 1, Int(status, "availableReplicas") ?? 0, "available"),
            ("apps", "DaemonSet") =>
                Replicas(Int(status, "desiredNumberScheduled") ?? 0, Int(status, "numberReady") ?? 0, "ready"),
            _ => ObjectStatus.None,
        };
    }

    private static ObjectStatus? FromCondition(JsonElement conditions, string type)
    {
        foreach (var condition in conditions.EnumerateArray())
        {
            if (condition.ValueKind != JsonValueKind.Object || Str(condition, "type") != type) continue;
            var ready = ParseConditionStatus(condition.TryGetProperty("status", out var st) ? st : default);
            return new ObjectStatus(ready, NullIfEmpty(Str(condition, "reason")), NullIfEmpty(Str(condition, "message")));
        }
        return null;
    }

    // Condition status is a string; tolerate a YAML boolean from hand-written snapshots.
    private static ReadyState ParseConditionStatus(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => ReadyState.True,
        JsonValueKind.False => ReadyState.False,
        JsonValueKind.String when value.ValueEquals("True") => ReadyState.True,
        JsonValueKind.String when value.ValueEquals("False") => ReadyState.False,
        _ => ReadyState.Unknown,
    };

    private static ObjectStatus Pod(JsonElement status)
    {
        var phase = Str(status, "phase");
        return phase switch
        {
            "Pending" => new ObjectStatus(ReadyState.False, "Pending", NullIfEmpty(Str(status, "message"))),
            "Running" => new ObjectStatus(ReadyState.Unknown, "Running"),
            "Succeeded" => new ObjectStatus(ReadyState.False, "Completed"),
            "Failed" => new ObjectStatus(ReadyState.False, NullIfEmpty(Str(status, "reason")) ?? "Failed", NullIfEmpty(Str(status, "message"))),
            _ => new ObjectStatus(ReadyState.Unknown, NullIfEmpty(phase)),
        };
    }

    private static ObjectStatus Job(JsonElement status)
    {
        if (status.ValueKind == JsonValueKind.Object
            && status.TryGetProperty("conditions", out var conditions) && conditions.ValueKind == JsonValueKind.Array)
        {
            foreach (var condition in conditions.EnumerateArray())
            {
                if (condition.ValueKind != JsonValueKind.Object) continue;
                if (ParseConditionStatus(condition.TryGetProperty("status", out var st) ? st : default) != ReadyState.True) continue;
                var type = Str(condition, "type");
                var reason = NullIfEmpty(Str(condition, "reason"));
                var message = NullIfEmpty(Str(condition, "message"));
                switch (type)
                {
                    case "Complete": return new ObjectStatus(ReadyState.True, reason ?? "Complete", message);
                    case "Failed": return new ObjectStatus(ReadyState.False, reason ?? "Failed", message);
                    case "Suspended": return new ObjectStatus(ReadyState.False, reason ?? "Suspended", message);
                }
            }
        }
        var active = Int(status, "active") ?? 0;
        return new ObjectStatus(ReadyState.Unknown, "Running", $"{active} active, {Int(status, "succeeded") ?? 0} succeeded, {Int(status, "failed") ?? 0} failed");
    }

    private static ObjectStatus Replicas(long desired, long current, string what) =>
        current >= desired
            ? new ObjectStatus(ReadyState.True, null, $"{current}/{desired} replicas {what}")
            : new ObjectStatus(ReadyState.False, "ReplicasNotReady", $"{current}/{desired} replicas {what}");

    internal static string? Str(JsonElement obj, string property) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;

    internal static long? Int(JsonElement obj, string property)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(property, out var v)) return null;
        return v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(v.GetString(), out var n) => n,
            _ => null,
        };
    }

    internal static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
