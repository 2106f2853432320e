using System.Text.Json.Nodes;

namespace KubeDiscovery.History.Recording;

/// <summary>
/// A Secret's keys, read from <c>metadata.managedFields</c> (each manager's <c>fieldsV1</c> lists the
/// <c>f:data</c> and <c>f:stringData</c> keys it owns, with the time it last wrote them), so a Secret is
/// followed as metadata only and its values never reach the process. History keeps each key with its
/// writers (<see cref="Summary"/>), so a key whose writers or their times moved shows as written.
/// </summary>
public static class SecretKeys
{
    /// <summary>Each data key, with the (manager, time) pairs of the entries that own it.</summary>
    public static Dictionary<string, HashSet<(string Manager, string? Time)>> Owned(JsonObject? secret) =>
        Owned(secret, fields => [fields["f:data"] as JsonObject, fields["f:stringData"] as JsonObject]);

    /// <summary>
    /// A Secret's annotations as history keeps them: each key with who last wrote it, never a value — a
    /// Secret's annotations can hold its data (kubectl apply's last-applied-configuration does).
    /// </summary>
    public static JsonObject AnnotationSummary(JsonObject secret)
    {
        var owned = Owned(secret, fields => [fields["f:metadata"]?["f:annotations"] as JsonObject]);
        if (secret["metadata"]?["annotations"] is JsonObject values)
        {
            foreach (var (key, _) in values) owned.TryAdd(key, []);
        }
        return Describe(owned);
    }

    private static Dictionary<string, HashSet<(string Manager, string? Time)>> Owned(JsonObject? secret, Func<JsonObject, JsonObject?[]> sections)
    {
        var owned = new Dictionary<string, HashSet<(string, string?)>>(StringComparer.Ordinal);
        if (secret?["metadata"]?["managedFields"] is not JsonArray entries) return owned;
        foreach (var entry in entries.OfType<JsonObject>())
        {
            if (entry["fieldsV1"] is not JsonObject fields) continue;
            var writer = (entry["manager"]?.GetValue<string>() ?? "", entry["time"]?.GetValue<string>());
            foreach (var keys in sections(fields))
            {
                if (keys is null) continue;
                foreach (var (name, _) in keys)
                {
                    if (!name.StartsWith("f:", StringComparison.Ordinal)) continue;
                    var key = name[2..];
                    if (!owned.TryGetValue(key, out var writers)) owned[key] = writers = [];
                    writers.Add(writer);
                }
            }
        }
        return owned;
    }

    /// <summary>
    /// A Secret's keys as history keeps them: each key (from managedFields, and from data and stringData
    /// when the object has them) with who last wrote it and when — names and times only, never a value.
    /// </summary>
    public static System.Text.Json.Nodes.JsonObject Summary(System.Text.Json.Nodes.JsonObject secret)
    {
        var owned = Owned(secret);
        foreach (var section in new[] { "data", "stringData" })
        {
            if (secret[section] is not System.Text.Json.Nodes.JsonObject values) continue;
            foreach (var (key, _) in values) owned.TryAdd(key, []);
        }
        return Describe(owned);
    }

    private static JsonObject Describe(Dictionary<string, HashSet<(string Manager, string? Time)>> owned)
    {
        var summary = new JsonObject();
        foreach (var (key, writers) in owned.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            summary[key] = writers.Count == 0 ? "set"
                : string.Join(", ", writers.Select(w => w.Time is null ? w.Manager : $"{w.Manager} at {w.Time}").Order(StringComparer.Ordinal));
        }
        return summary;
    }
}
