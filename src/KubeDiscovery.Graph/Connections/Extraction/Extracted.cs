using System.Text.Json;
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

    public long? Replicas { get; set; }

    /// <summary>
    /// Whether notes may be kept: null until the labels are known (metadata first, as the API server
    /// writes it), so a ConfigMap without the rules label never has its data copied.
    /// </summary>
    public bool? NotesAllowed { get; set; }

    public void AddName(Capture capture, string group, string kind, string? @namespace, string name) =>
        (_names ??= []).Add((capture, group, kind, @namespace, name));

    public void AddSelector(Capture capture, LabelSelector selector) => (_selectors ??= []).Add((capture, selector));

    public void AddClaimTemplate(Capture capture, string template) => (_claimTemplates ??= []).Add((capture, template));

    public void AddNote(string key, string value) => (_notes ??= []).Add(new(key, value));

    /// <summary>The links of the object, shared with equal ones through <paramref name="links"/>; null when it has none.</summary>
    public ObjectLinks? Build(ExtractionPlan plan, Func<string, string, bool> namespaced, string? objectNamespace, string objectName,
        IReadOnlyList<KeyValuePair<string, string>> labels, StringPool pool, LinkPool links)
    {
        List<Reference> references = [];
        var ns = objectNamespace ?? "";
        void Add(string link, string group, string kind, string? targetNamespace, string name)
        {
            if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal)) return;
            var inNamespace = namespaced(group, kind) ? (string.IsNullOrEmpty(targetNamespace) ? ns : targetNamespace) : "";
            if (namespaced(group, kind) && inNamespace.Length == 0) return; // a cluster-scoped object naming a namespaced one without a namespace
            references.Add(new Reference(pool.Intern(link), pool.Intern(ObjectKey.Format(group, kind, inNamespace, name))));
        }

        if (_names is not null)
        {
            foreach (var (capture, group, kind, targetNamespace, name) in _names)
            {
                if (capture.Template is { } template)
                {
                    foreach (var n in template.Names(name)) Add(capture.Link, group, kind, targetNamespace, n);
                }
                else
                {
                    Add(capture.Link, group, kind, targetNamespace, name);
                }
            }
        }
        if (_claimTemplates is not null)
        {
            // StatefulSet claims are named {template}-{set}-{ordinal}, one per replica (default 1).
            var replicas = Math.Clamp(Replicas ?? 1, 0, 1000);
            foreach (var (capture, template) in _claimTemplates)
            {
                for (var i = 0; i < replicas; i++) Add(capture.Link, capture.TargetGroup, capture.TargetKind, null, $"{template}-{objectName}-{i}");
            }
        }
        foreach (var derived in plan.Derived)
        {
            var name = derived.FromLabel is null ? objectName : labels.FirstOrDefault(l => l.Key == derived.FromLabel).Value;
            if (!string.IsNullOrEmpty(name)) Add(derived.Link, derived.TargetGroup, derived.TargetKind, null, name);
        }

        LinkSelector[] selectors = _selectors is null ? []
            : _selectors.Select(s => new LinkSelector(pool.Intern(s.Capture.Link), pool.Intern(s.Capture.TargetGroup), pool.Intern(s.Capture.TargetKind), s.Selector)).Distinct().ToArray();
        KeyValuePair<string, string>[] notes = _notes is null || (plan.NotesLabel is { } label && !labels.Any(l => l.Key == label)) ? []
            : _notes.OrderBy(n => n.Key, StringComparer.Ordinal).ToArray();
        if (references.Count == 0 && selectors.Length == 0 && notes.Length == 0) return null;
        var sorted = references.Distinct().Order(ReferenceOrder.Instance).ToArray();
        return links.Share(new ObjectLinks(sorted, selectors, notes));
    }

    private sealed class ReferenceOrder : IComparer<Reference>
    {
        public static readonly ReferenceOrder Instance = new();

        public int Compare(Reference x, Reference y) =>
            string.CompareOrdinal(x.Link, y.Link) is var c && c != 0 ? c : string.CompareOrdinal(x.Target, y.Target);
    }

    internal static string GroupOf(JsonElement reference)
    {
        if (reference.TryGetProperty("apiGroup", out var g) && g.ValueKind == JsonValueKind.String) return g.GetString()!;
        if (reference.TryGetProperty("apiVersion", out var v) && v.ValueKind == JsonValueKind.String)
        {
            var text = v.GetString()!;
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            return slash < 0 ? "" : text[..slash];
        }
        return "\0"; // not said: the capture's own group
    }
}
