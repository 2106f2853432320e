using KubeDiscovery.Graph.Status;

namespace KubeDiscovery.Graph.Connections.Extraction;

/// <summary>
/// The extraction plan of every kind: built-in relations, <c>spec.replicas</c> where a status rule reads
/// it, and the capture rules of custom relations. Immutable; a rule change makes a new one.
/// </summary>
public sealed class ExtractionPlans
{
    private readonly Dictionary<(string Group, string Kind), ExtractionPlan> _plans = [];
    private readonly Func<string, string, bool?> _scope;

    public static readonly ExtractionPlans BuiltIn = new([], static (_, _) => null);

    /// <param name="ruleCaptures">Captures from rules, by source kind.</param>
    /// <param name="scope">Whether a kind is namespaced, from the catalog; null when unknown.</param>
    public ExtractionPlans(IEnumerable<((string Group, string Kind) Kind, Capture Capture)> ruleCaptures, Func<string, string, bool?> scope)
    {
        _scope = scope;
        Dictionary<(string, string), List<Capture>> captures = [];
        foreach (var (kind, list) in BuiltInRelations.Captures) captures[kind] = [.. list];
        foreach (var (kind, capture) in ruleCaptures) (captures.TryGetValue(kind, out var l) ? l : captures[kind] = []).Add(capture);
        foreach (var kind in captures.Keys.Concat(BuiltInRelations.Derived.Keys).Concat(StatusRules.SpecReplicasKinds).Distinct().ToList())
        {
            var list = captures.GetValueOrDefault(kind) ?? [];
            if (StatusRules.ReadsSpecReplicas(kind.Item1, kind.Item2)) list.Add(new Capture(["spec", "replicas"], CaptureKind.Replicas));
            var derived = BuiltInRelations.Derived.GetValueOrDefault(kind) ?? [];
            _plans[kind] = new ExtractionPlan(list, derived, kind == ("", "ConfigMap") ? BuiltInRelations.RulesConfigMapLabel : null);
        }
    }

    /// <summary>Each kind's plan fingerprint, in a stable order: what a change of rules compares.</summary>
    public IReadOnlyList<KeyValuePair<(string Group, string Kind), string>> Fingerprints =>
        _fingerprints ??= _plans.Select(p => new KeyValuePair<(string, string), string>(p.Key, p.Value.Fingerprint))
            .OrderBy(p => p.Key.Item1, StringComparer.Ordinal).ThenBy(p => p.Key.Item2, StringComparer.Ordinal).ToList();

    private IReadOnlyList<KeyValuePair<(string Group, string Kind), string>>? _fingerprints;

    public ExtractionPlan For(string group, string kind) => _plans.GetValueOrDefault((group, kind)) ?? ExtractionPlan.None;

    /// <summary>True when a reference to this kind names a namespace: built-in knowledge, then the catalog, else assumed.</summary>
    public bool IsNamespaced(string group, string kind)
    {
        // Asked for every reference read: answered from a cache after the first time per kind.
        var cache = _namespaced;
        if (cache.TryGetValue((group, kind), out var known)) return known;
        var answer = !BuiltInRelations.IsClusterScoped(group, kind) && (_scope(group, kind) ?? true);
        _namespaced = new Dictionary<(string, string), bool>(cache) { [(group, kind)] = answer };
        return answer;
    }

    // Copy-on-write: ingest reads it on every reference, and the kinds asked about are few.
    private Dictionary<(string Group, string Kind), bool> _namespaced = [];

    /// <summary>True when ingest needs more than metadata of this kind (a live source fetches it whole).</summary>
    public bool NeedsBody(string group, string kind) => For(group, kind).ReadsBody || !StatusRules.IsStatusFree(group, kind);
}
