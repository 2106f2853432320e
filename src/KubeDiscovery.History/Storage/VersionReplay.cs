using System.Text.Json.Nodes;
using KubeDiscovery.History.Diffs;
using KubeDiscovery.History.Recording;

namespace KubeDiscovery.History.Storage;

/// <summary>
/// The object as history kept it at each stored version, rebuilt oldest first: a snapshot (or a creation,
/// whose patch replaces the whole document) starts a chain, and each patch moves it on. A patch whose
/// base is not known — the versions before it were dropped, or a gap — gives no object until the next
/// snapshot, never a wrong one.
/// </summary>
public static class VersionReplay
{
    public static IEnumerable<(StoredVersion Version, JsonNode? Object)> Replay(IEnumerable<StoredVersion> oldestFirst)
    {
        JsonNode? current = null;
        var known = false;
        foreach (var stored in oldestFirst)
        {
            var v = stored.Version;
            if (v.Snapshot is { } snapshot)
            {
                current = JsonNode.Parse(snapshot);
                known = true;
            }
            else if (v.Change == ChangeKind.Deleted)
            {
                // The last state stays what it was: a deleted object's history shows what it was when it went.
            }
            else if (v.Patch is { } patch)
            {
                var ops = PatchOperation.Parse(patch);
                var wholeDocument = ops is [{ Op: "replace", Path: "" }];
                if (known || wholeDocument)
                {
                    try
                    {
                        current = JsonDiff.Apply(current, ops);
                        known = true;
                    }
                    catch (InvalidOperationException)
                    {
                        known = false; // a patch for another base: the chain is broken until the next snapshot
                    }
                }
            }
            else
            {
                known = false;
            }
            yield return (stored, known ? current?.DeepClone() : null);
        }
    }
}
