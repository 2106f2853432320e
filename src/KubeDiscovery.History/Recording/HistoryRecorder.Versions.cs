using System.Text.Json.Nodes;
using KubeDiscovery.History.Diffs;
using KubeDiscovery.History.Storage;

namespace KubeDiscovery.History.Recording;

/// <summary>Turning observations into versions: what each object's last kept version was, and what changed since.</summary>
public sealed partial class HistoryRecorder
{
    private async Task AddDeletionsAsync(ListEnd end, DateTimeOffset at, List<VersionRecord> batch)
    {
        foreach (var (uid, ns, name, resourceVersion) in await _store.LiveObjectsAsync(end.Group, end.Resource, CancellationToken.None).ConfigureAwait(false))
        {
            // Not in the list, unless the list is older than what is stored (another replica saw it created since).
            if (end.Uids.Contains(uid) || Newer(resourceVersion, end.ResourceVersion)) continue;
            var gone = new ObservedObject(uid, end.ResourceVersion, end.Group, end.Resource, ns, name, null, ObservedLate: true);
            if (await ToVersionAsync(gone, at).ConfigureAwait(false) is { } version) batch.Add(version);
        }
    }

    private async Task<VersionRecord?> ToVersionAsync(ObservedObject o, DateTimeOffset at)
    {
        var previous = _pending.TryGetValue(o.Uid, out var pending) ? pending
            : _inFlight.TryGetValue(o.Uid, out var inFlight) ? inFlight
            : _kept.TryGet(o.Uid, out var kept) ? kept
            : await FromStoreAsync(o.Uid).ConfigureAwait(false);
        // A replica whose queue lags, or a re-list older than what another replica stored, never moves history back.
        if (previous is not null && Newer(previous.ResourceVersion, o.ResourceVersion)) return null;
        MeaningfulChange? change;
        KeptState? current;
        string patch;
        long? generation;
        try
        {
            var observed = o.Element ?? (o.Object is { } obj ? NormalizedJson.ToElement(obj) : null);
            // Generation is bookkeeping to the diff, not to the version.
            generation = observed is { } e && e.TryGetProperty("metadata", out var m) && m.ValueKind == System.Text.Json.JsonValueKind.Object
                && m.TryGetProperty("generation", out var g) && g.TryGetInt64(out var n) ? n : null;
            current = observed is { } element ? ChangeRules.Keep(element, o.TypeMeta) : null;
            change = ChangeRules.Compare(previous?.State, current);
            if (change is null) return null;
            patch = PatchOperation.Serialize(change.Patch);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException or System.Text.Json.JsonException)
        {
            // An object history cannot read is passed over and counted: retrying it would stop all recording.
            Interlocked.Increment(ref _unreadable);
            return null;
        }
        // Two contents under one resourceVersion only come from an edited snapshot: the later one is told apart.
        var resourceVersion = previous is not null && previous.ResourceVersion == o.ResourceVersion && change.Kind == ChangeKind.Updated
            ? $"{o.ResourceVersion}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(patch)))[..12]}"
            : o.ResourceVersion;
        var sinceSnapshot = change.Kind == ChangeKind.Created || previous is null ? 0 : previous.SinceSnapshot + 1;
        var snapshot = change.Kind == ChangeKind.Updated && sinceSnapshot >= _options.SnapshotEvery;
        if (snapshot) sinceSnapshot = 0;
        var next = current is null ? null : new Kept(current, sinceSnapshot, resourceVersion);
        _pending[o.Uid] = next;
        if (next is not null) _kept.AddOrUpdate(o.Uid, next);
        else _kept.TryRemove(o.Uid);
        return new VersionRecord(o.Uid, resourceVersion, o.Group, o.Resource, o.Namespace, o.Name, change.Kind, at, generation,
            change.Managers, change.ChangedPaths, patch,
            snapshot ? current?.Normalized.GetRawText() : null, o.ObservedLate);
    }

    // The last kept version, rebuilt: history keeps normalised objects, which diff the same as the raw ones.
    private async Task<Kept?> FromStoreAsync(string uid)
    {
        var stored = await _store.VersionsAsync(uid, int.MaxValue, CancellationToken.None).ConfigureAwait(false);
        if (stored.Count == 0) return null;
        var last = VersionReplay.Replay(Enumerable.Reverse(stored)).Last();
        if (last.Version.Version.Change == ChangeKind.Deleted || last.Object is not JsonObject obj) return null;
        // Which managers wrote it is not kept whole: the next version names all its managers.
        return new Kept(new KeptState(NormalizedJson.ToElement(obj), []), SinceSnapshot: 0, last.Version.Version.ResourceVersion);
    }

    /// <summary>
    /// Whether <paramref name="stored"/> is later than <paramref name="observed"/>. resourceVersions are opaque to
    /// clients, but kube-apiserver's are etcd revisions, increasing integers; when either is not one (a snapshot's),
    /// nothing is assumed.
    /// </summary>
    private static bool Newer(string stored, string observed) =>
        long.TryParse(stored, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var s)
        && long.TryParse(observed, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var o)
        && s > o;

}
