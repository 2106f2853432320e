using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Bench.Generator;

/// <summary>
/// One LIST page as kube-apiserver would send it: up to 500 objects of one resource, as UTF-8 JSON.
/// <see cref="Json"/> is valid until the next page is generated (the buffer is reused, so generating
/// a million objects does not churn the large-object heap under the measurements).
/// </summary>
internal sealed record GeneratedPage(ResourceType Type, ReadOnlyMemory<byte> Json, int Count);
