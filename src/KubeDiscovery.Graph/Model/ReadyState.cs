namespace KubeDiscovery.Graph.Model;

/// <summary>The tri-state readiness of a node, plus <see cref="None"/> for kinds that have no notion of it.</summary>
public enum ReadyState : byte
{
    /// <summary>No rule applies (ConfigMap, Service…): reported as <c>Unknown</c> in JSON and blank in drawings.</summary>
    None = 0,
    True,
    False,
    Unknown,
}
