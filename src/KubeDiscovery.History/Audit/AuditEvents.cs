using System.Globalization;
using System.Text.Json;
using KubeDiscovery.History.Storage;

namespace KubeDiscovery.History.Audit;

/// <summary>
/// Reads who made a change out of kube-apiserver audit events (<c>audit.k8s.io/v1</c> <c>Event</c>, as the
/// webhook backend posts them in an <c>EventList</c> and the log backend writes one per line). A write's
/// <c>ResponseComplete</c> event names the user, and its <c>responseObject</c> the uid and resourceVersion the
/// write produced, which is how a recorded version is joined to it. Only those identifiers are read: the
/// request and response bodies (a Secret's data among them) are never kept.
/// </summary>
public static class AuditEvents
{
    private static readonly HashSet<string> Writes = new(StringComparer.Ordinal) { "create", "update", "patch", "delete" };

    /// <summary>The attributions in an <c>EventList</c> or a single <c>Event</c>.</summary>
    /// <exception cref="FormatException">The document is not an audit event or list of them.</exception>
    public static List<Attribution> Read(JsonElement document)
    {
        if (document.ValueKind != JsonValueKind.Object) throw new FormatException("an audit EventList or Event must be a JSON object");
        var kind = Text(document, "kind");
        List<Attribution> found = [];
        if (kind == "EventList")
        {
            if (!document.TryGetProperty("items", out var items) || items.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null))
            {
                throw new FormatException("an EventList needs an items list");
            }
            if (items.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in items.EnumerateArray()) if (FromEvent(item) is { } a) found.Add(a);
            }
            return found;
        }
        if (kind is "Event" or null && document.TryGetProperty("auditID", out _))
        {
            if (FromEvent(document) is { } a) found.Add(a);
            return found;
        }
        throw new FormatException($"expected an audit.k8s.io EventList or Event, got kind {kind ?? "(none)"}");
    }

    /// <summary>The attributions in an audit log file (the log backend's JSON format: one event per line).</summary>
    /// <returns>The attributions, and the lines that were not audit events (with their numbers), for a report.</returns>
    public static async Task<(List<Attribution> Found, List<string> Problems)> ReadLogAsync(TextReader log, CancellationToken cancellationToken)
    {
        List<Attribution> found = [];
        List<string> problems = [];
        var number = 0;
        while (await log.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var document = JsonDocument.Parse(line);
                found.AddRange(Read(document.RootElement));
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                problems.Add($"line {number.ToString(CultureInfo.InvariantCulture)}: {e.Message}");
            }
        }
        return (found, problems);
    }

    private static Attribution? FromEvent(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object || Text(e, "stage") != "ResponseComplete") return null;
        if (Text(e, "verb") is not { } verb || !Writes.Contains(verb)) return null;
        if (e.TryGetProperty("responseStatus", out var status) && status.ValueKind == JsonValueKind.Object
            && status.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number && code.GetInt32() >= 300) return null;
        if (!e.TryGetProperty("responseObject", out var response) || response.ValueKind != JsonValueKind.Object
            || !response.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object) return null;
        if (Text(metadata, "uid") is not { Length: > 0 } uid || Text(metadata, "resourceVersion") is not { Length: > 0 } rv) return null;
        if (!e.TryGetProperty("user", out var user) || Text(user, "username") is not { Length: > 0 } username) return null;
        var at = Text(e, "stageTimestamp") is { } stamp && DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : default;
        return new Attribution(uid, rv, username, Text(e, "userAgent"), verb, at);
    }

    private static string? Text(JsonElement obj, string property) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
