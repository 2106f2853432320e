using System.Text.RegularExpressions;

namespace KubeDiscovery.Graph.Selectors;

/// <summary>
/// A label selector in the string form kubectl sends (<c>-l</c>, <c>labelSelector=</c>): requirements
/// separated by commas, each <c>key</c>, <c>!key</c>, <c>key=v</c>, <c>key==v</c>, <c>key!=v</c>,
/// <c>key in (a,b)</c> or <c>key notin (a,b)</c>; all must hold (apimachinery's labels.Parse).
/// Hand-written: KubernetesClient sends selectors but has no parser for them.
/// </summary>
public sealed partial class LabelSelector
{
    private readonly Requirement[] _requirements;

    private LabelSelector(Requirement[] requirements) => _requirements = requirements;

    public static readonly LabelSelector Everything = new([]);

    public bool IsEverything => _requirements.Length == 0;

    /// <exception cref="FormatException">The selector does not parse; the message says where.</exception>
    public static LabelSelector Parse(string text)
    {
        List<Requirement> requirements = [];
        foreach (var part in SplitTopLevel(text))
        {
            var p = part.Trim();
            if (p.Length == 0) throw new FormatException($"unable to parse requirement: found '' in \"{text}\"");
            requirements.Add(ParseRequirement(p, text));
        }
        return new LabelSelector([.. requirements]);
    }

    public bool Matches(IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        foreach (var requirement in _requirements)
        {
            if (!requirement.Matches(labels)) return false;
        }
        return true;
    }

    private static Requirement ParseRequirement(string p, string whole)
    {
        if (p.StartsWith('!')) return new Requirement(Key(p[1..].Trim(), whole), Operator.DoesNotExist, []);
        var set = SetRequirement().Match(p);
        if (set.Success)
        {
            var values = set.Groups["values"].Value.Split(',', StringSplitOptions.TrimEntries);
            foreach (var v in values) Value(v, whole);
            return new Requirement(Key(set.Groups["key"].Value, whole), set.Groups["op"].Value == "in" ? Operator.In : Operator.NotIn, values);
        }
        foreach (var (token, op) in new[] { ("!=", Operator.NotEquals), ("==", Operator.Equals), ("=", Operator.Equals) })
        {
            var at = p.IndexOf(token, StringComparison.Ordinal);
            if (at < 0) continue;
            return new Requirement(Key(p[..at].Trim(), whole), op, [Value(p[(at + token.Length)..].Trim(), whole)]);
        }
        return new Requirement(Key(p, whole), Operator.Exists, []);
    }

    private static string Key(string key, string whole) =>
        KeyPattern().IsMatch(key) ? key : throw new FormatException($"invalid label key \"{key}\" in \"{whole}\"");

    private static string Value(string value, string whole) =>
        value.Length == 0 || ValuePattern().IsMatch(value) ? value : throw new FormatException($"invalid label value \"{value}\" in \"{whole}\"");

    // Commas inside "in (a,b)" do not separate requirements.
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) yield break;
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(': depth++; break;
                case ')': depth--; break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }
        yield return text[start..];
    }

    [GeneratedRegex(@"^(?<key>\S+)\s+(?<op>in|notin)\s*\((?<values>[^()]*)\)$")]
    private static partial Regex SetRequirement();

    // A qualified name with an optional DNS-subdomain prefix, as metav1 validates label keys.
    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex ValuePattern();

    private enum Operator
    {
        Exists,
        DoesNotExist,
        Equals,
        NotEquals,
        In,
        NotIn,
    }

    // A struct in the selector's array: a Service's selector is one small array, not an object per pair.
    private readonly record struct Requirement(string Key, Operator Op, string[] Values)
    {
        public bool Matches(IReadOnlyList<KeyValuePair<string, string>> labels)
        {
            string? value = null;
            foreach (var label in labels)
            {
                if (label.Key == Key)
                {
                    value = label.Value;
                    break;
                }
            }
            return Op switch
            {
                Operator.Exists => value is not null,
                Operator.DoesNotExist => value is null,
                Operator.Equals or Operator.In => value is not null && Values.Contains(value),
                Operator.NotEquals or Operator.NotIn => value is null || !Values.Contains(value),
                _ => false,
            };
        }
    }
}
