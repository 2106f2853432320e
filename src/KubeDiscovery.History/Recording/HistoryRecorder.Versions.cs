using System.Text.Json.Nodes;
using KubeDiscovery.History.Diffs;
using KubeDiscovery.History.Storage;

namespace KubeDiscovery.History.Recording;

/// <summary>Turning observations into versions: what each object's last kept version was, and what changed since.</summary>
public sealed partial class HistoryRecorder
{
    private async Task AddDeletionsAsync(ListEnd end, DateTimeOffset at, List<VersionRecord> batch)
    {
        foreach (var (uid, ns, name, resourceVersion) in await _store.LiveObjectsAsync(end.Group, end.Resource, end.Uids, CancellationToken.None).ConfigureAwait(false))
        {
            // Not in the list, unless the list is older than what is stored (another replica saw it created since).
            if (Newer(resourceVersion, end.ResourceVersion)) continue;
            var gone = new ObservedObject(uid, end.ResourceVersion, end.Group, end.Resource, ns, name, null, ObservedLate: true);
            if (await ToVersionAsync(gone, at).ConfigureAwait(false) is { } version) batch.Add(version);
        }
    }

    /// <summary>
    /// Asks the store once what it holds of the batch's objects that are not cached: an object it has never seen
    /// (all of a first recording) or holds as deleted needs no more reading, nor does a deletion. Only an update
    /// of an uncached object still rebuilds its last version from the store.
    /// </summary>
    private async Task FindLatestAsync(List<Observation> taken)
    {
        _latest.Clear();
        HashSet<string> ask = new(StringComparer.Ordinal);
        foreach (var item in taken)
        {
            foreach (var o in item.Objects())
            {
                if (!_inFlight.ContainsKey(o.Uid) && !_kept.TryGet(o.Uid, out _)) ask.Add(o.Uid);
            }
        }
        if (ask.Count == 0) return;
        foreach (var uid in ask) _latest[uid] = null;
        foreach (var chunk in ask.Chunk(1_000))
        {
            foreach (var latest in await _store.LatestAsync(chunk, CancellationToken.None).ConfigureAwait(false)) _latest[latest.Uid] = latest;
        }
    }

    private async Task<VersionRecord?> ToVersionAsync(ObservedObject o, DateTimeOffset at)
    {
        var previous = await PreviousAsync(o).ConfigureAwait(false);
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
            // A deletion needs only to know there was a version: its form is not read. A creation's patch is the
            // object as kept, written as it is (no tree of nodes: a first recording is mostly creations).
            change = (previous, current) switch
            {
                (not null, null) => new MeaningfulChange(ChangeKind.Deleted, [], [], []),
                (null, not null) => new MeaningfulChange(ChangeKind.Created, [], [], current.Managers),
                _ => ChangeRules.Compare(previous?.State(), current),
            };
            if (change is null) return null;
            patch = change.Kind == ChangeKind.Created ? CreationPatch(current!.Normalized) : PatchOperation.Serialize(change.Patch);
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
        var next = current is null ? null
            : new KeptForm(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(current.Normalized).ToArray(), current.Managers, sinceSnapshot, resourceVersion);
        _pending[o.Uid] = next;
        if (next is not null) _kept.Set(o.Uid, next);
        else _kept.Remove(o.Uid);
        return new VersionRecord(o.Uid, resourceVersion, o.Group, o.Resource, o.Namespace, o.Name, change.Kind, at, generation,
            change.Managers, change.ChangedPaths, patch,
            snapshot ? current?.Normalized.GetRawText() : null, o.ObservedLate);
    }

    // The patch ChangeRules.Compare gives a creation (replace the whole document), without parsing the object into nodes.
    private static string CreationPatch(System.Text.Json.JsonElement normalized)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(normalized.ValueKind == System.Text.Json.JsonValueKind.Object ? 4096 : 256);
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            w.WriteStartObject();
            w.WriteString("op", "replace");
            w.WriteString("path", "");
            w.WritePropertyName("value");
            normalized.WriteTo(w);
            w.WriteEndObject();
            w.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // The last kept version: this batch's or the one being written, the cache's, or the store's.
    private async Task<KeptForm?> PreviousAsync(ObservedObject o)
    {
        if (_pending.TryGetValue(o.Uid, out var pending)) return pending;
        if (_inFlight.TryGetValue(o.Uid, out var inFlight)) return inFlight;
        if (_kept.TryGet(o.Uid, out var kept)) return kept;
        if (_latest.TryGetValue(o.Uid, out var latest))
        {
            if (latest is null || latest.Deleted) return null;
            // A deletion, or an observation older than what is stored, is decided by the resourceVersion alone.
            if (o.Element is null && o.Object is null || Newer(latest.ResourceVersion, o.ResourceVersion)) return new KeptForm([], [], 0, latest.ResourceVersion);
        }
        return await FromStoreAsync(o.Uid).ConfigureAwait(false);
    }

    // The last kept version, rebuilt: history keeps normalised objects, which diff the same as the raw ones.
    private async Task<KeptForm?> FromStoreAsync(string uid)
    {
        var stored = await _store.VersionsAsync(uid, int.MaxValue, CancellationToken.None).ConfigureAwait(false);
        if (stored.Count == 0) return null;
        var last = VersionReplay.Replay(Enumerable.Reverse(stored)).Last();
        if (last.Version.Version.Change == ChangeKind.Deleted || last.Object is not JsonObject obj) return null;
        // Which managers wrote it is not kept whole: the next version names all its managers.
        return new KeptForm(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(NormalizedJson.ToElement(obj)).ToArray(), [], SinceSnapshot: 0, last.Version.Version.ResourceVersion);
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
