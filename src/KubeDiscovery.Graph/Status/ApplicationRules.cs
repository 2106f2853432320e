using System.Text;
using System.Text.Json;
using KubeDiscovery.Graph.Model;
using static KubeDiscovery.Graph.Status.StatusRules;

namespace KubeDiscovery.Graph.Status;

/// <summary>
/// The status rules applications need beyond conditions: Argo CD's health and sync, the revision a Flux
/// object applied, and what a not-ready Pod's containers say.
/// </summary>
internal static class ApplicationRules
{
    private const int MaxCause = 300;

    /// <summary>
    /// An Argo CD Application: ready when <c>status.health.status</c> is Healthy; its reason is the health,
    /// the message says the sync status; the revision is <c>status.sync.revision</c>.
    /// </summary>
    public static ObjectStatus ArgoCd(JsonElement status)
    {
        var health = Object(status, "health");
        var sync = Object(status, "sync");
        var healthStatus = NullIfEmpty(Str(health, "status"));
        var syncStatus = NullIfEmpty(Str(sync, "status"));
        var ready = healthStatus switch
        {
            "Healthy" => ReadyState.True,
            "Degraded" or "Missing" => ReadyState.False,
            null => ReadyState.Unknown,
            _ => ReadyState.Unknown, // Progressing, Suspended, Unknown
        };
        var message = NullIfEmpty(Str(health, "message"));
        if (syncStatus is not null) message = message is null ? $"sync: {syncStatus}" : $"sync: {syncStatus}; {message}";
        return new ObjectStatus(ready, healthStatus, message) { Revision = NullIfEmpty(Str(sync, "revision")) };
    }

    public static bool AppliesRevision(string group, string kind) =>
        (group, kind) is ("kustomize.toolkit.fluxcd.io", "Kustomization") or ("helm.toolkit.fluxcd.io", "HelmRelease");

    /// <summary><c>status.lastAppliedRevision</c> (both kinds), else the newest <c>status.history</c> entry's chart version (HelmRelease v2).</summary>
    public static string? FluxRevision(JsonElement status)
    {
        if (NullIfEmpty(Str(status, "lastAppliedRevision")) is { } revision) return revision;
        if (status.ValueKind == JsonValueKind.Object && status.TryGetProperty("history", out var history)
            && history.ValueKind == JsonValueKind.Array && history.GetArrayLength() > 0)
        {
            return NullIfEmpty(Str(history[0], "chartVersion"));
        }
        return null;
    }

    /// <summary>
    /// The first container (init containers first, as they run first) that is waiting with a reason other
    /// than starting, or terminated with an error, or restarting: <c>reason: message (N restarts)</c>, as
    /// <c>kubectl get pods</c> shows the reason in STATUS.
    /// </summary>
    public static string? PodCause(JsonElement status)
    {
        foreach (var list in new[] { "initContainerStatuses", "containerStatuses" })
        {
            if (status.ValueKind != JsonValueKind.Object || !status.TryGetProperty(list, out var containers) || containers.ValueKind != JsonValueKind.Array) continue;
            foreach (var container in containers.EnumerateArray())
            {
                if (container.ValueKind != JsonValueKind.Object) continue;
                var restarts = Int(container, "restartCount") ?? 0;
                var state = Object(container, "state");
                var waiting = Object(state, "waiting");
                var terminated = Object(state, "terminated");
                string? reason = null, message = null;
                if (waiting.ValueKind == JsonValueKind.Object && NullIfEmpty(Str(waiting, "reason")) is { } w && w != "ContainerCreating" && w != "PodInitializing")
                {
                    (reason, message) = (w, NullIfEmpty(Str(waiting, "message")));
                }
                else if (terminated.ValueKind == JsonValueKind.Object && (Int(terminated, "exitCode") ?? 0) != 0)
                {
                    (reason, message) = (NullIfEmpty(Str(terminated, "reason")) ?? "Error", NullIfEmpty(Str(terminated, "message")) ?? $"exit code {Int(terminated, "exitCode")}");
                }
                else if (restarts > 0 && Object(Object(container, "lastState"), "terminated") is { ValueKind: JsonValueKind.Object } last)
                {
                    (reason, message) = (NullIfEmpty(Str(last, "reason")) ?? "Restarted", $"last exit code {Int(last, "exitCode") ?? 0}");
                }
                if (reason is null) continue;
                var text = new StringBuilder().Append(reason);
                if (message is not null) text.Append(": ").Append(message);
                if (restarts > 0) text.Append(" (").Append(restarts).Append(restarts == 1 ? " restart)" : " restarts)");
                return text.Length > MaxCause ? text.ToString(0, MaxCause - 1) + "…" : text.ToString();
            }
        }
        return null;
    }

    private static JsonElement Object(JsonElement obj, string property) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Object ? v : default;
}
