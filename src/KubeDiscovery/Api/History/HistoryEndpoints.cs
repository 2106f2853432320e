using System.Text.Json;
using System.Text.Json.Nodes;
using KubeDiscovery.History.Diffs;
using KubeDiscovery.History.Recording;
using KubeDiscovery.History.Storage;
using KubeDiscovery.Hosting;
using KubeDiscovery.Rendering;

namespace KubeDiscovery.Api.History;

/// <summary>
/// An object's history: <c>versions</c>, <c>spechistory</c>, <c>diff?start=&amp;end=[&amp;field=][&amp;format=text]</c>
/// and <c>bisect?field1=&amp;value1=…</c>, on <c>…/namespaces/{ns}/{resource}/{name}/</c> and <c>…/{resource}/{name}/</c>.
/// </summary>
internal static class HistoryEndpoints
{
    public const string Versions = "versions";
    public const string SpecHistory = "spechistory";
    public const string Diff = "diff";
    public const string Bisect = "bisect";

    /// <summary>Bisect fields per request: enough for any real question, few enough to bound the work.</summary>
    private const int MaxBisectFields = 10;

    public static void Map(IEndpointRouteBuilder routes)
    {
        foreach (var (subresource, answer) in new (string, Func<HttpContext, HistoryService, HistoryObject, Task>)[]
        {
            (Versions, VersionsAsync),
            (SpecHistory, SpecHistoryAsync),
            (Diff, DiffAsync),
            (Bisect, BisectAsync),
        })
        {
            routes.MapGet(KubeDiscoveryApi.Prefix + "/namespaces/{namespace}/{resource}/{name}/" + subresource,
                c => Run(c, (string)c.Request.RouteValues["namespace"]!, subresource, answer));
            routes.MapGet(KubeDiscoveryApi.Prefix + "/{resource}/{name}/" + subresource, c => Run(c, null, subresource, answer));
        }
    }

    private static Task Run(HttpContext context, string? ns, string subresource, Func<HttpContext, HistoryService, HistoryObject, Task> answer) =>
        HistoryGuard.RunAsync(context, async () =>
        {
            var targets = context.RequestServices.GetRequiredService<HistoryTargets>();
            if (await targets.EnabledAsync(context) is not { } history) return;
            var values = context.Request.RouteValues;
            var target = await targets.ResolveAsync(context, history, ns, (string)values["resource"]!, (string)values["name"]!, subresource);
            if (target is not null) await answer(context, history, target);
        });

    private static async Task VersionsAsync(HttpContext context, HistoryService history, HistoryObject target)
    {
        var versions = await history.Store.VersionsAsync(target.Uid, int.MaxValue, context.RequestAborted);
        // Gaps from the object's first kept version on: where its history may be missing something.
        var gaps = versions.Count == 0 ? [] : await history.Store.ChangesAsync(
            new ChangeQuery { Since = versions[^1].Version.ObservedAt, Uids = [], Limit = 100 }, context.RequestAborted);
        var items = versions.Concat(gaps).OrderByDescending(v => v.Version.ObservedAt).ToList();
        await JsonAnswers.WriteListAsync(context, items, w =>
            {
                HistoryJsonWriter.WriteListStart(w, "VersionList");
                HistoryJsonWriter.WriteTarget(w, target);
                w.WriteStartArray("items");
            },
            (w, v) => HistoryJsonWriter.WriteVersion(w, v), HistoryJsonWriter.WriteListEnd);
    }

    private static async Task SpecHistoryAsync(HttpContext context, HistoryService history, HistoryObject target)
    {
        var rebuilt = await RebuildAsync(history, target, context.RequestAborted);
        rebuilt.Reverse();
        await JsonAnswers.WriteListAsync(context, rebuilt, w =>
            {
                HistoryJsonWriter.WriteListStart(w, "SpecHistory");
                HistoryJsonWriter.WriteTarget(w, target);
                w.WriteStartArray("items");
            },
            (w, r) => HistoryJsonWriter.WriteSpec(w, r.Version, r.Object), HistoryJsonWriter.WriteListEnd);
    }

    private static async Task DiffAsync(HttpContext context, HistoryService history, HistoryObject target)
    {
        var query = context.Request.Query;
        if (!HistoryQuery.TryReadNumber(query, "start", out var start, out var error)
            || !HistoryQuery.TryReadNumber(query, "end", out var end, out error)
            || !HistoryQuery.TryReadField(query, "field", out var field, out error))
        {
            await StatusErrors.BadRequest(context, error);
            return;
        }
        var format = query["format"].ToString();
        if (format is not ("" or "json" or "text"))
        {
            await StatusErrors.BadRequest(context, $"format must be json (a JSON Patch, the default) or text (a unified diff of the YAML), not \"{format}\"");
            return;
        }
        var rebuilt = await RebuildAsync(history, target, context.RequestAborted);
        if (rebuilt.Count == 0)
        {
            await NotKept(context, target, "no version is kept");
            return;
        }
        var endNumber = end ?? rebuilt[^1].Version.Number;
        var startNumber = start ?? rebuilt.LastOrDefault(r => r.Version.Number < endNumber).Version?.Number ?? endNumber;
        if (startNumber > endNumber)
        {
            await StatusErrors.BadRequest(context, $"start ({startNumber}) must not come after end ({endNumber})");
            return;
        }
        var before = rebuilt.FirstOrDefault(r => r.Version.Number == startNumber);
        var after = rebuilt.FirstOrDefault(r => r.Version.Number == endNumber);
        foreach (var (number, found) in new[] { (startNumber, before), (endNumber, after) })
        {
            if (found.Version is null)
            {
                await NotKept(context, target, $"version {number} is not kept (kept: {string.Join(", ", rebuilt.Select(r => r.Version.Number))})");
                return;
            }
            if (found.Object is null && found.Version.Version.Change != ChangeKind.Deleted)
            {
                await NotKept(context, target, $"version {number} cannot be rebuilt: history before it is incomplete (a gap, or older versions dropped)");
                return;
            }
        }
        var (a, b) = (Pick(before.Object, field), Pick(after.Object, field));
        if (format == "text")
        {
            var name = $"{target.DisplayName}{(field is null ? "" : " " + JsonPointer.ToPath(field))}";
            var text = UnifiedDiff.Write(YamlText.Write(a), YamlText.Write(b), $"{name} version {startNumber}", $"{name} version {endNumber}");
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(text, context.RequestAborted);
            return;
        }
        var patch = JsonDiff.Diff(a, b).Select(op => op with { Path = (field ?? "") + op.Path }).ToList();
        await JsonAnswers.WriteAsync(context, w =>
        {
            w.WriteStartArray();
            foreach (var op in patch) op.ToJson().WriteTo(w);
            w.WriteEndArray();
        });
    }

    private static async Task BisectAsync(HttpContext context, HistoryService history, HistoryObject target)
    {
        var query = context.Request.Query;
        List<(string Pointer, string Path, string Value)> wanted = [];
        for (var i = 1; i <= MaxBisectFields + 1; i++)
        {
            if (!HistoryQuery.TryReadField(query, $"field{i}", out var pointer, out var error))
            {
                await StatusErrors.BadRequest(context, error);
                return;
            }
            if (pointer is null) break;
            if (i > MaxBisectFields)
            {
                await StatusErrors.BadRequest(context, $"bisect takes at most {MaxBisectFields} fields");
                return;
            }
            if (!query.ContainsKey($"value{i}"))
            {
                await StatusErrors.BadRequest(context, $"field{i} needs value{i}: the value the field must have");
                return;
            }
            wanted.Add((pointer, query[$"field{i}"].ToString(), query[$"value{i}"].ToString()));
        }
        if (wanted.Count == 0)
        {
            await StatusErrors.BadRequest(context, "bisect needs field1 and value1 (and field2, value2, … for more): e.g. ?field1=spec.replicas&value1=3");
            return;
        }
        var rebuilt = await RebuildAsync(history, target, context.RequestAborted);
        var first = rebuilt.FirstOrDefault(r => r.Object is not null && wanted.All(f => Matches(JsonPointer.Find(r.Object, f.Pointer), f.Value)));
        if (first.Version is null)
        {
            await NotKept(context, target, $"no kept version has {string.Join(" and ", wanted.Select(f => $"{f.Path}={f.Value}"))}");
            return;
        }
        await JsonAnswers.WriteAsync(context, w =>
        {
            HistoryJsonWriter.WriteListStart(w, "BisectResult");
            HistoryJsonWriter.WriteTarget(w, target);
            w.WritePropertyName("version");
            HistoryJsonWriter.WriteVersion(w, first.Version);
            w.WritePropertyName("object");
            first.Object!.WriteTo(w);
            w.WriteEndObject();
        });
    }

    /// <summary>The object's versions oldest first, each with the object as history kept it then.</summary>
    private static async Task<List<(StoredVersion Version, JsonNode? Object)>> RebuildAsync(HistoryService history, HistoryObject target, CancellationToken cancellationToken)
    {
        var versions = await history.Store.VersionsAsync(target.Uid, int.MaxValue, cancellationToken);
        versions.Reverse();
        return VersionReplay.Replay(versions).ToList();
    }

    private static JsonNode? Pick(JsonNode? obj, string? pointer) => pointer is null ? obj : JsonPointer.Find(obj, pointer);

    // A string field matches its text; any other value matches its JSON (3, true, {"a":1}).
    private static bool Matches(JsonNode? node, string value) => node switch
    {
        null => false,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() == value,
        _ => node.ToJsonString() == value,
    };

    private static Task NotKept(HttpContext context, HistoryObject target, string why) =>
        StatusErrors.Write(context, new KubeStatus
        {
            Code = 404,
            Reason = "NotFound",
            Message = $"{target.DisplayName}: {why}",
            Details = new StatusDetails { Name = target.Name, Group = target.Type.Group, Kind = target.Type.Plural },
        });
}
