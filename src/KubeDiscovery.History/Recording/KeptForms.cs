namespace KubeDiscovery.History.Recording;

/// <summary>
/// The last kept form of the objects changed most recently, within a byte budget: what their next change is
/// diffed against without reading the store. Objects that change keep coming back to the front; the rest
/// fall out, and a change to one of them is diffed against the store instead. Bounded by bytes, not by
/// count: ten 1 MiB ConfigMaps must not hold what thousands of Deployments would. Hand-written because
/// BitFaster's caches bound entries, not bytes; only the recorder's loop uses it, so it takes no lock.
/// </summary>
internal sealed class KeptForms(long budgetBytes)
{
    // What an entry costs beyond its bytes: the node, the dictionary slot, the record and its strings' headers.
    private const int EntryOverhead = 160;

    private readonly Dictionary<string, LinkedListNode<Entry>> _byUid = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recent = new(); // most recently used first

    public long Bytes { get; private set; }

    public int Count => _byUid.Count;

    public bool TryGet(string uid, out KeptForm form)
    {
        if (_byUid.TryGetValue(uid, out var node))
        {
            _recent.Remove(node);
            _recent.AddFirst(node);
            form = node.Value.Form;
            return true;
        }
        form = null!;
        return false;
    }

    public void Set(string uid, KeptForm form)
    {
        Remove(uid);
        var cost = Cost(uid, form);
        if (cost > budgetBytes) return; // an object larger than the whole budget is always diffed against the store
        while (Bytes + cost > budgetBytes && _recent.Last is { } oldest) Remove(oldest.Value.Uid);
        _byUid[uid] = _recent.AddFirst(new Entry(uid, form, cost));
        Bytes += cost;
    }

    public void Remove(string uid)
    {
        if (!_byUid.Remove(uid, out var node)) return;
        _recent.Remove(node);
        Bytes -= node.Value.Cost;
    }

    private static long Cost(string uid, KeptForm form) =>
        EntryOverhead + form.Normalized.Length + 2L * (uid.Length + form.ResourceVersion.Length)
        + form.Managers.Sum(m => 64L + 2 * (m.Manager.Length + m.Operation.Length + (m.Time?.Length ?? 0)));

    private sealed record Entry(string Uid, KeptForm Form, long Cost);
}

/// <summary>
/// An object's last kept version as the recorder remembers it: the normalised object as UTF-8 (half of what a
/// parsed element holds; parsed again only when the next change is diffed), its field managers, how many
/// versions ago it was stored whole, and its resourceVersion.
/// </summary>
internal sealed record KeptForm(byte[] Normalized, IReadOnlyList<FieldManager> Managers, int SinceSnapshot, string ResourceVersion)
{
    public KeptState State()
    {
        var reader = new System.Text.Json.Utf8JsonReader(Normalized);
        return new KeptState(System.Text.Json.JsonElement.ParseValue(ref reader), Managers);
    }
}
