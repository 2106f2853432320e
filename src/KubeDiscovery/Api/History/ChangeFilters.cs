namespace KubeDiscovery.Api.History;

/// <summary>
/// What a timeline of changes is narrowed to: <c>resource</c>, <c>name</c>, <c>manager</c> and <c>since</c>,
/// as query parameters or — since kubectl passes no others — as a field selector
/// (<c>kubectl get changes --field-selector resource=deploy,name=web,since=24h</c>). A selector this
/// list cannot honour is refused, never ignored: an answer that looks filtered and is not misleads.
/// </summary>
internal sealed record ChangeFilters(string? Resource, string? Name, string? Manager, string Since)
{
    private static readonly string[] Keys = ["resource", "name", "manager", "since"];

    public static bool TryRead(IQueryCollection query, out ChangeFilters filters, out string error)
    {
        filters = new ChangeFilters(null, null, null, "");
        error = "";
        if (query["labelSelector"].ToString() is { Length: > 0 } labels)
        {
            error = $"changes have no labels to select by (labelSelector \"{labels}\"): narrow them with --field-selector resource=…,name=…,manager=…,since=…";
            return false;
        }
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in Keys)
        {
            if (query[key].ToString() is { Length: > 0 } value) values[key] = value;
        }
        if (query["fieldSelector"].ToString() is { Length: > 0 } selector)
        {
            foreach (var term in selector.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var (key, value, ok) = Term(term);
                if (!ok || !Keys.Contains(key))
                {
                    error = $"fieldSelector \"{term}\": changes are selected by resource, name, manager and since, each with = (as in resource=deploy,since=24h)";
                    return false;
                }
                if (values.TryGetValue(key, out var other) && other != value)
                {
                    error = $"{key} is asked twice, as \"{other}\" and \"{value}\": give it once";
                    return false;
                }
                values[key] = value;
            }
        }
        filters = new ChangeFilters(values.GetValueOrDefault("resource"), values.GetValueOrDefault("name"), values.GetValueOrDefault("manager"),
            values.GetValueOrDefault("since") ?? "");
        return true;
    }

    // key=value or key==value; != and set operators mean nothing here.
    private static (string Key, string Value, bool Ok) Term(string term)
    {
        if (term.Contains("!=", StringComparison.Ordinal)) return ("", "", false);
        var at = term.IndexOf('=', StringComparison.Ordinal);
        if (at <= 0) return ("", "", false);
        var value = term[(at + 1)..];
        if (value.StartsWith('=')) value = value[1..];
        return (term[..at].Trim(), value.Trim(), value.Trim().Length > 0);
    }
}
