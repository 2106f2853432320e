using KubeDiscovery.Graph.Ingest;
using KubeDiscovery.Graph.Selectors;

namespace KubeDiscovery.Graph.Connections.Extraction;

/// <summary>
/// What the walk over one object found, before the object's identity is known (metadata may come after
/// spec in a hand-written file): <see cref="Build"/> turns it into the record's <see cref="ObjectLinks"/>.
/// </summary>
internal sealed class Extracted
{
    private List<(Capture Capture, string Group, string Kind, string? Namespace, string Name)>? _names;
    private List<(Capture Capture, LabelSelector Selector)>? _selectors;
    private List<(Capture Capture, string Template)>? _claimTemplates;
    private List<KeyValuePair<string, string>>? _notes;

    // Reused across the items of a page: one object's scratch lists, and the last shared set built, which
    // the next object (the Pods of one template come one after another in a LIST) usually repeats.
    private readonly List<Reference> _references = [];
    private readonly List<Reference> _own = [];
    private LinkSet? _last;

    /// <summary>Clears what one object found, for the next.</summary>
    public Extracted Reset()
    {
        _names?.Clear();
        _selectors?.Clear();
        _claimTemplates?.Clear();
        _notes?.Clear();
        _references.Clear();
        _keyed.Clear();
        ObjectNamespace = null;
        Replicas = null;
        NotesAllowed = null;
        return this;
    }

    public long? Replicas { get; set; }

    /// <summary>
    /// Whether notes may be kept: null until the labels are known (metadata first, as the API server
    /// writes it), so a ConfigMap without the rules label never has its data copied.
    /// </summary>
    public bool? NotesAllowed { get; set; }

    // References already keyed during the walk (see TryAddKey), with whether they are the object's own.
    private readonly List<(Reference Reference, bool PerObject)> _keyed = [];

    /// <summary>For keying names during the walk: set by the reader once metadata is read ("" for a cluster-scoped object).</summary>
    public string? ObjectNamespace { get; set; }

    public StringPool? Pool { get; init; }

    public ExtractionPlans? Plans { get; init; }

    /// <summary>
    /// Keys a plain name straight from the reader's bytes when the object's namespace is known (the API
    /// server writes metadata first): no string for the name, and none for the key when it is pooled.
    /// </summary>
    public bool TryAddKey(Capture capture, ref System.Text.Json.Utf8JsonReader reader)
    {
        if (Pool is null || Plans is null || ObjectNamespace is null || capture.Template is not null || capture.TargetKind.Length == 0
            || reader.HasValueSequence || reader.ValueIsEscaped) return false;
        var utf8 = reader.ValueSpan;
        if (utf8.Length == 0 || utf8.Length > 253 || utf8.Contains((byte)'/')) return false;
        var isNamespaced = IsNamespaced(Plans, capture, capture.TargetGroup, capture.TargetKind);
        var ns = isNamespaced ? ObjectNamespace : "";
        if (isNamespaced && ns.Length == 0) return false;
        Span<char> key = stackalloc char[ns.Length + utf8.Length + 2];
        key[0] = ObjectKey.CodeOf(capture.TargetGroup, capture.TargetKind);
        ns.CopyTo(key[1..]);
        key[1 + ns.Length] = '/';
        var written = System.Text.Encoding.UTF8.GetChars(utf8, key[(2 + ns.Length)..]);
        var text = key[..(2 + ns.Length + written)];
        _keyed.Add((new Reference(capture.Link, capture.Unique ? text.ToString() : Pool.Intern(text)), capture.PerObject));
        return true;
    }

    public void AddName(Capture capture, string group, string kind, string? @namespace, string name) =>
        (_names ??= []).Add((capture, group, kind, @namespace, name));

    public void AddSelector(Capture capture, LabelSelector selector) => (_selectors ??= []).Add((capture, selector));

    public void AddClaimTemplate(Capture capture, string template) => (_claimTemplates ??= []).Add((capture, template));

    public void AddNote(string key, string value) => (_notes ??= []).Add(new(key, value));

    /// <summary>The links of the object, shared with equal ones through <paramref name="links"/>; null when it has none.</summary>
    public ObjectLinks? Build(ExtractionPlan plan, ExtractionPlans plans, string? objectNamespace, string objectName,
        IReadOnlyList<KeyValuePair<string, string>> labels, StringPool pool, LinkPool links)
    {
        var references = _references;
        references.Clear();
        _own.Clear();
        var ns = objectNamespace ?? "";
        void Add(Capture? capture, string link, bool perObject, string group, string kind, string? targetNamespace, string name)
        {
            if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal)) return;
            var isNamespaced = IsNamespaced(plans, capture, group, kind);
            var inNamespace = isNamespaced ? (string.IsNullOrEmpty(targetNamespace) ? ns : targetNamespace) : "";
            if (isNamespaced && inNamespace.Length == 0) return; // a cluster-scoped object naming a namespaced one without a namespace
            var reference = new Reference(link, capture is { Unique: true } ? ObjectKey.Format(group, kind, inNamespace, name) : Key(pool, group, kind, inNamespace, name));
            (perObject ? _own : references).Add(reference);
        }

        if (_names is { Count: > 0 })
        {
            foreach (var (capture, group, kind, targetNamespace, name) in _names)
            {
                if (capture.Template is { } template)
                {
                    foreach (var n in template.Names(name)) Add(capture, capture.Link, capture.PerObject, group, kind, targetNamespace, n);
                }
                else
                {
                    Add(capture, capture.Link, capture.PerObject, group, kind, targetNamespace, name);
                }
            }
        }
        foreach (var (reference, perObject) in _keyed) (perObject ? _own : references).Add(reference);
        if (_claimTemplates is { Count: > 0 })
        {
            // StatefulSet claims are named {template}-{set}-{ordinal}, one per replica (default 1).
            var replicas = Math.Clamp(Replicas ?? 1, 0, 1000);
            foreach (var (capture, template) in _claimTemplates)
            {
                for (var i = 0; i < replicas; i++) Add(capture, capture.Link, false, capture.TargetGroup, capture.TargetKind, null, $"{template}-{objectName}-{i}");
            }
        }
        foreach (var derived in plan.Derived)
        {
            string? name = objectName;
            if (derived.FromLabel is { } label)
            {
                name = null;
                foreach (var l in labels)
                {
                    if (l.Key == label) name = l.Value;
                }
            }
            if (!string.IsNullOrEmpty(name)) Add(null, derived.Link, false, derived.TargetGroup, derived.TargetKind, null, name);
        }

        LinkSelector[] selectors = [];
        if (_selectors is { Count: > 0 })
        {
            List<LinkSelector> distinct = [];
            foreach (var (capture, selector) in _selectors)
            {
                var s = new LinkSelector(capture.Link, capture.TargetGroup, capture.TargetKind, selector);
                if (!distinct.Contains(s)) distinct.Add(s);
            }
            selectors = [.. distinct];
        }
        var notes = _notes is not { Count: > 0 } || NotesAllowed == false || (plan.NotesLabel is { } notesLabel && !labels.Any(l => l.Key == notesLabel)) ? []
            : _notes.OrderBy(n => n.Key, StringComparer.Ordinal).ToArray();
        if (references.Count == 0 && selectors.Length == 0 && notes.Length == 0 && _own.Count == 0) return null;

        references.Sort(ReferenceOrder.Instance);
        var write = 0;
        for (var read = 0; read < references.Count; read++)
        {
            if (write > 0 && references[write - 1] == references[read]) continue;
            references[write++] = references[read];
        }
        references.RemoveRange(write, references.Count - write);
        LinkSet pooled;
        if (selectors.Length == 0 && notes.Length == 0 && _last is { Selectors.Count: 0, Notes.Count: 0 } last && last.SharedEquals(references))
        {
            pooled = last;
        }
        else
        {
            // A set with a selector is a Service's own (its app's labels): pooling it would only add an entry.
            pooled = selectors.Length > 0 ? new LinkSet([.. references], selectors, notes) : links.Share(new LinkSet([.. references], selectors, notes));
            _last = pooled;
        }
        if (_own.Count == 0) return pooled;
        _own.Sort(ReferenceOrder.Instance);
        return pooled.With(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_own));
    }

    // Whether a target kind is namespaced, asked once per capture of a fixed kind (per page), not per reference.
    private readonly Dictionary<Capture, bool> _scopes = new(ReferenceEqualityComparer.Instance);

    private bool IsNamespaced(ExtractionPlans plans, Capture? capture, string group, string kind)
    {
        if (capture is null || capture.TargetKind.Length == 0 || !ReferenceEquals(kind, capture.TargetKind) || !ReferenceEquals(group, capture.TargetGroup))
        {
            return plans.IsNamespaced(group, kind);
        }
        if (!_scopes.TryGetValue(capture, out var namespaced)) _scopes[capture] = namespaced = plans.IsNamespaced(group, kind);
        return namespaced;
    }

    // The ObjectKey string, interned without building it when the pool has it already.
    private static string Key(StringPool pool, string group, string kind, string @namespace, string name)
    {
        Span<char> key = stackalloc char[512];
        var length = ObjectKey.Write(key, group, kind, @namespace, name);
        return length < 0 ? pool.Intern(ObjectKey.Format(group, kind, @namespace, name)) : pool.Intern(key[..length]);
    }

    private sealed class ReferenceOrder : IComparer<Reference>
    {
        public static readonly ReferenceOrder Instance = new();

        public int Compare(Reference x, Reference y) =>
            string.CompareOrdinal(x.Link, y.Link) is var c && c != 0 ? c : string.CompareOrdinal(x.Target, y.Target);
    }
}
