using System.Text;
using System.Text.Json;

namespace KubeDiscovery.Graph.Selectors;

// Selectors as objects carry them: a Service's plain map, and metav1.LabelSelector (matchLabels and
// matchExpressions) for everything else. Equal selectors compare equal, so records holding them share.
public sealed partial class LabelSelector : IEquatable<LabelSelector>
{

    /// <summary>A Service's selector: every pair must match. An empty map selects nothing, so it gives null.</summary>
    public static LabelSelector? FromMap(JsonElement map)
    {
        if (map.ValueKind != JsonValueKind.Object) return null;
        List<Requirement> requirements = [];
        foreach (var p in map.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String) return null;
            requirements.Add(new Requirement(p.Name, Operator.Equals, [p.Value.GetString()!]));
        }
        return requirements.Count == 0 ? null : Create(requirements);
    }

    /// <summary>
    /// A metav1.LabelSelector: <c>{}</c> selects everything; null or a malformed one gives null (selects
    /// nothing), as kube-controller-manager treats selectors it cannot convert.
    /// </summary>
    public static LabelSelector? FromLabelSelector(JsonElement selector)
    {
        if (selector.ValueKind != JsonValueKind.Object) return null;
        List<Requirement> requirements = [];
        if (selector.TryGetProperty("matchLabels", out var labels) && labels.ValueKind != JsonValueKind.Null)
        {
            if (labels.ValueKind != JsonValueKind.Object) return null;
            foreach (var p in labels.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.String) return null;
                requirements.Add(new Requirement(p.Name, Operator.Equals, [p.Value.GetString()!]));
            }
        }
        if (selector.TryGetProperty("matchExpressions", out var expressions) && expressions.ValueKind != JsonValueKind.Null)
        {
            if (expressions.ValueKind != JsonValueKind.Array) return null;
            foreach (var e in expressions.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Object
                    || !e.TryGetProperty("key", out var key) || key.ValueKind != JsonValueKind.String
                    || !e.TryGetProperty("operator", out var op) || op.ValueKind != JsonValueKind.String) return null;
                string[] values = [];
                if (e.TryGetProperty("values", out var v) && v.ValueKind == JsonValueKind.Array)
                {
                    values = v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToArray();
                }
                Operator? parsed = op.GetString() switch
                {
                    "In" when values.Length > 0 => Operator.In,
                    "NotIn" when values.Length > 0 => Operator.NotIn,
                    "Exists" => Operator.Exists,
                    "DoesNotExist" => Operator.DoesNotExist,
                    _ => null,
                };
                if (parsed is not { } o) return null;
                requirements.Add(new Requirement(key.GetString()!, o, values));
            }
        }
        return requirements.Count == 0 ? Everything : Create(requirements);
    }

    private static LabelSelector Create(List<Requirement> requirements)
    {
        requirements.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key) is var c && c != 0 ? c : a.Op.CompareTo(b.Op));
        return new LabelSelector([.. requirements]);
    }

    /// <summary>
    /// The (key, value) pairs every match must carry: an index narrows candidates by the rarest of them.
    /// Empty when the selector has no equality (only sets, existence or negations).
    /// </summary>
    public IEnumerable<KeyValuePair<string, string>> RequiredPairs()
    {
        foreach (var r in _requirements)
        {
            if (r.Op is Operator.Equals or Operator.In && r.Values.Length == 1) yield return new(r.Key, r.Values[0]);
        }
    }

    /// <summary>The selector in kubectl's string form (<c>app=web,tier in (a,b)</c>).</summary>
    public override string ToString() => Format();

    private string Format()
    {
        var text = new StringBuilder();
        foreach (var r in _requirements)
        {
            if (text.Length > 0) text.Append(',');
            text.Append(r.Op switch
            {
                Operator.Exists => r.Key,
                Operator.DoesNotExist => "!" + r.Key,
                Operator.Equals => $"{r.Key}={r.Values[0]}",
                Operator.NotEquals => $"{r.Key}!={r.Values[0]}",
                Operator.In => $"{r.Key} in ({string.Join(",", r.Values)})",
                _ => $"{r.Key} notin ({string.Join(",", r.Values)})",
            });
        }
        return text.ToString();
    }

    public bool Equals(LabelSelector? other)
    {
        if (other is null || other._requirements.Length != _requirements.Length) return false;
        for (var i = 0; i < _requirements.Length; i++)
        {
            var (a, b) = (_requirements[i], other._requirements[i]);
            if (a.Key != b.Key || a.Op != b.Op || !a.Values.AsSpan().SequenceEqual(b.Values)) return false;
        }
        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as LabelSelector);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var r in _requirements)
        {
            hash.Add(r.Key);
            hash.Add(r.Op);
            foreach (var v in r.Values) hash.Add(v);
        }
        return hash.ToHashCode();
    }
}
