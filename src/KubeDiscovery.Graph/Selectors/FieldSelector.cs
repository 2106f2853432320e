namespace KubeDiscovery.Graph.Selectors;

/// <summary>
/// A field selector (<c>--field-selector</c>, <c>fieldSelector=</c>): <c>field=value</c>,
/// <c>field==value</c> or <c>field!=value</c>, comma-separated, all must hold; only the fields a
/// resource supports (apimachinery's fields.ParseSelector and a resource's field label conversion).
/// </summary>
public sealed class FieldSelector
{
    private readonly (string Field, bool Equal, string Value)[] _terms;

    private FieldSelector((string, bool, string)[] terms) => _terms = terms;

    public static readonly FieldSelector Everything = new([]);

    /// <exception cref="FormatException">It does not parse, or names a field not in <paramref name="supported"/>.</exception>
    public static FieldSelector Parse(string text, IReadOnlyCollection<string> supported)
    {
        if (string.IsNullOrWhiteSpace(text)) return Everything;
        List<(string, bool, string)> terms = [];
        foreach (var raw in text.Split(','))
        {
            var term = raw.Trim();
            var (at, length, equal) = term.IndexOf("!=", StringComparison.Ordinal) is var ne and >= 0 ? (ne, 2, false)
                : term.IndexOf("==", StringComparison.Ordinal) is var ee and >= 0 ? (ee, 2, true)
                : (term.IndexOf('='), 1, true);
            if (at <= 0) throw new FormatException($"invalid selector: '{term}'; can't understand '{term}'");
            var field = term[..at].Trim();
            if (!supported.Contains(field)) throw new FormatException($"field label not supported: {field} (supported: {string.Join(", ", supported)})");
            terms.Add((field, equal, term[(at + length)..].Trim()));
        }
        return new FieldSelector([.. terms]);
    }

    public bool Matches(Func<string, string?> valueOf)
    {
        foreach (var (field, equal, value) in _terms)
        {
            if (string.Equals(valueOf(field) ?? "", value, StringComparison.Ordinal) != equal) return false;
        }
        return true;
    }
}
