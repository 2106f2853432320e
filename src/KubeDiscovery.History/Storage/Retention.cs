using System.Text.Json.Nodes;

namespace KubeDiscovery.History.Storage;

/// <summary>
/// <c>--history-max-versions</c> and <c>--history-max-age</c>, applied without breaking what stays: a version
/// is stored as a patch on the one before, so before older versions go, the first version that stays is
/// given the whole object (rebuilt by <see cref="VersionReplay"/>). Safe to run from several replicas at once.
/// </summary>
public static class Retention
{
    /// <returns>How many versions were dropped.</returns>
    public static async Task<int> ApplyAsync(IHistoryStore store, int maxVersionsPerObject, DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        foreach (var (uid, number) in await store.RebaseCandidatesAsync(maxVersionsPerObject, olderThan, cancellationToken).ConfigureAwait(false))
        {
            var versions = await store.VersionsAsync(uid, int.MaxValue, cancellationToken).ConfigureAwait(false);
            versions.Reverse();
            var rebuilt = VersionReplay.Replay(versions).FirstOrDefault(v => v.Version.Number == number).Object;
            // A chain already broken (a gap before it) has nothing to carry over: its versions show no object, as before.
            if (rebuilt is JsonObject whole) await store.SetSnapshotAsync(uid, number, whole.ToJsonString(), cancellationToken).ConfigureAwait(false);
        }
        return await store.PruneAsync(maxVersionsPerObject, olderThan, cancellationToken).ConfigureAwait(false);
    }
}
