using KubeDiscovery.Graph.Connections.Rules;
using KubeDiscovery.Graph.Index;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Graph.Selectors;

namespace KubeDiscovery.Graph.Connections;

/// <summary>One edge at an object: the other end (its record null when it does not exist) and whether the edge leaves the object.</summary>
public readonly record struct Neighbour(string Link, ObjectKey Key, ObjectRecord? Object, bool Outgoing);

/// <summary>
/// The edges at one object, from the index alone: owner references both ways, named references (forward
/// from the record, backward through <see cref="LinkIndexes.ReferencedBy"/>), selectors (forward through
/// the Pod label index, backward through the selector holders of the namespace) and label rules. Each
/// lookup costs what it returns, except selectors over kinds other than Pods, which read that kind's
/// objects in the namespace.
/// </summary>
public sealed class Neighbours(ClusterIndex index, RelationRuleSet rules)
{
    private static readonly GroupResource Pods = new("", "pods");

    public IEnumerable<Neighbour> Out(ObjectRecord record)
    {
        foreach (var child in index.Dependents.Sources(record.Uid))
        {
            if (!child.IsRemoved) yield return new(LinkNames.Owns, ObjectKey.Of(child.Record), child.Record, true);
        }
        if (record.Links is { } links)
        {
            var plan = rules.Plans.For(record.Type.Group, record.Kind);
            foreach (var reference in links.References)
            {
                if (!plan.Makes(reference.Link)) continue;
                var key = ObjectKey.Parse(reference.Target);
                yield return new(reference.Link, key, index.Resolve(key), true);
            }
            foreach (var selector in links.Selectors)
            {
                if (!plan.Makes(selector.Link)) continue;
                foreach (var match in Selected(selector.TargetGroup, selector.TargetKind, record.Namespace, selector.Selector))
                {
                    yield return new(selector.Link, ObjectKey.Of(match), match, true);
                }
            }
        }
        foreach (var rule in rules.LabelRules)
        {
            if (rule.From != (record.Type.Group, record.Kind)) continue;
            var value = rule.Template.Prefix + record.Name + rule.Template.Suffix;
            foreach (var match in Labelled(rule.To.Group, rule.To.Kind, record.Namespace, rule.LabelKey, value))
            {
                yield return new(rule.Link, ObjectKey.Of(match), match, true);
            }
        }
    }

    public IEnumerable<Neighbour> In(ObjectRecord record)
    {
        foreach (var owner in record.Owners)
        {
            var found = index.FindByUid(owner.Uid);
            var key = found is not null ? ObjectKey.Of(found) : OwnerKey(owner, record);
            yield return new(LinkNames.Owns, key, found, false);
        }
        var self = ObjectKey.Of(record);
        var selfKey = self.ToString();
        foreach (var entry in index.Links.Referrers(selfKey))
        {
            if (entry.IsRemoved || entry.Record.Links is not { } links) continue;
            var plan = rules.Plans.For(entry.Record.Type.Group, entry.Record.Kind);
            foreach (var reference in links.References)
            {
                if (reference.Target == selfKey && plan.Makes(reference.Link)) yield return new(reference.Link, ObjectKey.Of(entry.Record), entry.Record, false);
            }
        }
        // Holders are filed under one pair their selector requires: look under the object's own labels, and
        // under "" for selectors with none.
        var ns = record.Namespace ?? "";
        List<ObjectEntry> holders = [.. index.Links.SelectorHolders.Get((record.Type.Group, record.Kind, ns, "", ""))];
        foreach (var label in record.Labels)
        {
            holders.AddRange(index.Links.SelectorHolders.Get((record.Type.Group, record.Kind, ns, label.Key, label.Value)));
        }
        foreach (var entry in holders.Count < 2 ? holders : holders.Distinct())
        {
            if (entry.IsRemoved || entry.Record.Links is not { } links) continue;
            var plan = rules.Plans.For(entry.Record.Type.Group, entry.Record.Kind);
            foreach (var selector in links.Selectors)
            {
                if (plan.Makes(selector.Link) && selector.TargetGroup == record.Type.Group && selector.TargetKind == record.Kind && selector.Selector.Matches(record.Labels))
                {
                    yield return new(selector.Link, ObjectKey.Of(entry.Record), entry.Record, false);
                }
            }
        }
        foreach (var rule in rules.LabelRules)
        {
            if (rule.To != (record.Type.Group, record.Kind)) continue;
            var value = record.Labels.FirstOrDefault(l => l.Key == rule.LabelKey).Value;
            if (value is null) continue;
            foreach (var name in rule.Template.Names(value))
            {
                if (index.Links.ResourceOf(rule.From.Group, rule.From.Kind) is { } resource && index.Find(resource, record.Namespace, name) is { } instance)
                {
                    yield return new(rule.Link, ObjectKey.Of(instance), instance, false);
                }
            }
        }
    }

    /// <summary>Objects of a kind in a namespace (cluster-wide for null) that a selector matches.</summary>
    public IEnumerable<ObjectRecord> Selected(string group, string kind, string? @namespace, LabelSelector selector)
    {
        if (group.Length == 0 && kind == "Pod" && @namespace is not null)
        {
            // Narrow by the rarest pair every match carries; a selector with none reads the namespace's Pods.
            var pairs = selector.RequiredPairs().Where(p => index.Links.IsPodLabelIndexed(p.Key)).ToList();
            if (pairs.Count > 0)
            {
                var rarest = pairs.MinBy(p => index.Links.PodLabels.CountOf((@namespace, p.Key, p.Value)));
                foreach (var entry in index.Links.PodLabels.Get((@namespace, rarest.Key, rarest.Value)).ToArray())
                {
                    if (!entry.IsRemoved && selector.Matches(entry.Record.Labels)) yield return entry.Record;
                }
                yield break;
            }
            foreach (var pod in index.List(Pods, @namespace))
            {
                if (selector.Matches(pod.Labels)) yield return pod;
            }
            yield break;
        }
        if (index.Links.ResourceOf(group, kind) is not { } resource) yield break;
        foreach (var candidate in index.List(resource, @namespace))
        {
            if (selector.Matches(candidate.Labels)) yield return candidate;
        }
    }

    private IEnumerable<ObjectRecord> Labelled(string group, string kind, string? @namespace, string key, string value)
    {
        if (group.Length == 0 && kind == "Pod" && @namespace is not null && index.Links.IsPodLabelIndexed(key))
        {
            foreach (var entry in index.Links.PodLabels.Get((@namespace, key, value)).ToArray())
            {
                if (!entry.IsRemoved) yield return entry.Record;
            }
            yield break;
        }
        if (index.Links.ResourceOf(group, kind) is not { } resource) yield break;
        foreach (var candidate in index.List(resource, @namespace))
        {
            foreach (var label in candidate.Labels)
            {
                if (label.Key == key && label.Value == value) yield return candidate;
            }
        }
    }

    internal static ObjectKey OwnerKey(OwnerReference owner, ObjectRecord dependent)
    {
        var group = Resources.KindNames.SplitApiVersion(owner.ApiVersion).Group;
        // Owners live in their dependent's namespace, or are cluster-scoped.
        var ns = BuiltInRelations.IsClusterScoped(group, owner.Kind) ? "" : dependent.Namespace ?? "";
        return new ObjectKey(group, owner.Kind, ns, owner.Name);
    }
}
