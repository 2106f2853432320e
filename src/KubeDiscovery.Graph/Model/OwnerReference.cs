namespace KubeDiscovery.Graph.Model;

/// <summary>An entry of <c>metadata.ownerReferences</c>; the UID is what links child to owner.</summary>
public sealed record OwnerReference(string ApiVersion, string Kind, string Name, string Uid, bool Controller);
