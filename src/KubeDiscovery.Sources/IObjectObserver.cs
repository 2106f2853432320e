using System.Text.Json;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Sources;

/// <summary>
/// Who else reads the objects a source delivers (history): told of each object as the source read it, so
/// the bytes are parsed once for the index and the observer. The elements own their memory, so an observer
/// may keep them. Calls come on the source's own loop and must not block it: an observer queues and returns (a LIST's pages excepted).
/// </summary>
public interface IObjectObserver
{
    /// <summary>Whether objects of this kind are observed; a live source then fetches them whole (a Secret, never).</summary>
    bool Observes(ResourceType type);

    /// <summary>An object was created or changed (a watch event).</summary>
    void Changed(ResourceType type, JsonElement obj);

    /// <summary>An object was deleted (a watch event; <paramref name="obj"/> is its last state).</summary>
    void Deleted(ResourceType type, JsonElement obj);

    /// <summary>
    /// A page of a LIST: its objects are observed late (whatever happened to them before is unknown). The one
    /// call that may wait: the source reads the next page when it completes, so a LIST moves at the observer's pace
    /// rather than queueing the cluster in memory.
    /// </summary>
    ValueTask ListedAsync(ResourceType type, IReadOnlyList<JsonElement> page, CancellationToken cancellationToken);

    /// <summary>A LIST is complete at <paramref name="resourceVersion"/>: objects it did not hold are gone.</summary>
    void ListCompleted(ResourceType type, string resourceVersion, IReadOnlySet<string> uids);
}
