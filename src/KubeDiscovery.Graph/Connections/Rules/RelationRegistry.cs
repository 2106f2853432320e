using System.Text.Json;
using KubeDiscovery.Graph.Connections.Extraction;
using KubeDiscovery.Graph.Index;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Graph.Resources;

namespace KubeDiscovery.Graph.Connections.Rules;

/// <summary>The relation rules in force: what ingest extracts, the label rules queries apply, and what was refused.</summary>
public sealed record RelationRuleSet(ExtractionPlans Plans, IReadOnlyList<LabelRule> LabelRules, IReadOnlyList<RuleError> Errors, int RuleCount)
{
    /// <summary>The platform's application rules, in the order given.</summary>
    public IReadOnlyList<Applications.ApplicationRule> ApplicationRules { get; init; } = [];

    public static readonly RelationRuleSet BuiltIn = new(ExtractionPlans.BuiltIn, [], [], 0);
}

/// <summary>
/// Gathers relation rules from their three sources — the <c>--relations</c> file, ConfigMaps labelled
/// <see cref="BuiltInRelations.RulesConfigMapLabel"/>, and KubePlus annotations on CRDs — and recompiles
/// them whenever one changes (the index says when) or the catalog does (a rule's kind may appear).
/// </summary>
public sealed class RelationRegistry
{
    private static readonly GroupResource Crds = new("apiextensions.k8s.io", "customresourcedefinitions");

    private readonly ClusterIndex _index;
    private readonly Func<ResourceCatalog> _catalog;
    private readonly Lock _lock = new();
    private readonly List<(string Source, string Text)> _files = [];
    private SourcesStamp _stamp = new(-1, null, 0);
    private RelationRuleSet _current = RelationRuleSet.BuiltIn;

    public RelationRegistry(ClusterIndex index, Func<ResourceCatalog> catalog)
    {
        _index = index;
        _catalog = catalog;
        index.NotesChanged += () => Refresh();
    }

    /// <summary>
    /// Turns a rules text (a file, a ConfigMap value) into documents. JSON by default; the host plugs in
    /// YAML, which this library does not parse.
    /// </summary>
    public Func<string, IEnumerable<JsonElement>> Documents { get; set; } = static text => [JsonDocument.Parse(text).RootElement.Clone()];

    /// <summary>Raised after the rules changed, with the new set.</summary>
    public event Action<RelationRuleSet>? Changed;

    /// <summary>The rules in force, recompiled first if a source changed since.</summary>
    public RelationRuleSet Current
    {
        get
        {
            var stamp = Stamp();
            return stamp == Volatile.Read(ref _stamp) ? Volatile.Read(ref _current) : Refresh();
        }
    }

    public void AddFile(string source, string text)
    {
        lock (_lock)
        {
            _files.Add((source, text));
            Volatile.Write(ref _fileCount, _files.Count);
        }
        Refresh();
    }

    // Read on every Current (each LIST page, watch event and query) without taking the lock.
    private int _fileCount;

    /// <summary>Recompiles if anything changed; raises <see cref="Changed"/> when the rules did.</summary>
    public RelationRuleSet Refresh()
    {
        RelationRuleSet next;
        lock (_lock)
        {
            var stamp = Stamp();
            if (stamp == _stamp) return _current;
            next = Compile(stamp.Catalog!);
            var changed = !SameRules(_current, next);
            // Label rules over Pods read the label index: make sure it holds their keys.
            var keys = next.LabelRules.Where(r => r.To == ("", "Pod")).Select(r => r.LabelKey).ToList();
            if (keys.Count > 0) _index.IndexPodLabelKeys(keys);
            Volatile.Write(ref _current, next);
            Volatile.Write(ref _stamp, stamp);
            if (!changed) return next;
        }
        // Outside the lock: filing every object again takes the index's write lock.
        var settings = _index.Applications.Settings;
        if (!settings.Rules.SequenceEqual(next.ApplicationRules)) _index.ConfigureApplications(settings with { Rules = next.ApplicationRules });
        Changed?.Invoke(next);
        return next;
    }

    private SourcesStamp Stamp() => new(_index.NotesVersion, _catalog(), Volatile.Read(ref _fileCount));

    private sealed record SourcesStamp(long Notes, ResourceCatalog? Catalog, int Files);

    private RelationRuleSet Compile(ResourceCatalog catalog)
    {
        List<CompiledRule> rules = [];
        List<RuleError> errors = [];
        RuleParser.KindResolver resolve = (group, kind) =>
            (group is null ? catalog.FindKindName(kind) : catalog.FindByKind(group, kind)) is { } t ? (t.Group, t.Kind)
            : group is null && FindBuiltIn(kind) is { } b ? b : null;

        foreach (var (source, text) in _files) ParseRules(source, text, resolve, rules, errors);
        foreach (var record in _index.NotedRecords())
        {
            if (record.Type.GroupResource == Crds)
            {
                var dot = record.Name.IndexOf('.', StringComparison.Ordinal);
                var type = dot > 0 ? catalog.Find(new GroupResource(record.Name[(dot + 1)..], record.Name[..dot])) : null;
                if (type is null)
                {
                    errors.Add(new($"CustomResourceDefinition {record.Name}", "its kind is not served (yet)"));
                    continue;
                }
                RuleParser.ParseKubePlus(type.Group, type.Kind, record.Links!.Notes, $"CustomResourceDefinition {record.Name}", resolve, rules, errors);
            }
            else
            {
                foreach (var (key, text) in record.Links!.Notes) ParseRules($"ConfigMap {record.Namespace}/{record.Name} {key}", text, resolve, rules, errors);
            }
        }

        var plans = new ExtractionPlans(rules.Where(r => r.Capture is not null).Select(r => (r.Owner, r.Capture!)),
            (group, kind) => catalog.FindByKind(group, kind)?.Namespaced);
        return new RelationRuleSet(plans, rules.Select(r => r.Label).OfType<LabelRule>().ToList(), errors, rules.Count)
        {
            ApplicationRules = rules.Select(r => r.Application).OfType<Applications.ApplicationRule>().DistinctBy(r => r.Name).ToList(),
        };
    }

    private void ParseRules(string source, string text, RuleParser.KindResolver resolve, List<CompiledRule> rules, List<RuleError> errors)
    {
        try
        {
            foreach (var document in Documents(text)) RuleParser.ParseDocument(document, source, resolve, rules, errors);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidDataException)
        {
            errors.Add(new(source, e.Message));
        }
    }

    private static (string, string)? FindBuiltIn(string kind) =>
        BuiltInRelations.Captures.Keys.Concat(BuiltInRelations.Derived.Keys).Where(k => k.Kind == kind).Select(k => ((string, string)?)k).FirstOrDefault()
        ?? (kind is "Secret" or "ConfigMap" or "Service" or "Pod" or "PersistentVolumeClaim" or "ServiceAccount" or "Node" ? ("", kind) : null);

    private static bool SameRules(RelationRuleSet a, RelationRuleSet b) =>
        a.LabelRules.SequenceEqual(b.LabelRules) && a.Errors.SequenceEqual(b.Errors) && a.RuleCount == b.RuleCount
        && a.Plans.Fingerprints.SequenceEqual(b.Plans.Fingerprints);
}
