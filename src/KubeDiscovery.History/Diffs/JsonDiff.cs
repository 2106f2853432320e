using System.Text.Json.Nodes;

namespace KubeDiscovery.History.Diffs;

/// <summary>One RFC 6902 operation of the kinds a diff needs: add, remove, replace.</summary>
public sealed record PatchOperation(string Op, string Path, JsonNode? Value = null)
{
    public JsonObject ToJson()
    {
        var o = new JsonObject { ["op"] = Op, ["path"] = Path };
        if (Op != "remove") o["value"] = Value?.DeepClone();
        return o;
    }

    /// <summary>A patch as stored: a JSON array of operations.</summary>
    public static string Serialize(IEnumerable<PatchOperation> ops) => new JsonArray(ops.Select(op => (JsonNode)op.ToJson()).ToArray()).ToJsonString();

    /// <exception cref="FormatException">The text is not a patch of add, remove and replace operations.</exception>
    public static List<PatchOperation> Parse(string patch)
    {
        if (JsonNode.Parse(patch) is not JsonArray ops) throw new FormatException("a patch is a JSON array of operations");
        return ops.Select(op => op is JsonObject o && o["op"]?.GetValue<string>() is "add" or "remove" or "replace" && o["path"]?.GetValue<string>() is { } path
            ? new PatchOperation(o["op"]!.GetValue<string>(), path, o["value"]?.DeepClone())
            : throw new FormatException($"not an add, remove or replace operation: {op?.ToJsonString()}")).ToList();
    }
}

/// <summary>
/// The JSON Patch (RFC 6902) that turns one version of an object into the next, and its application.
/// Hand-written because no maintained library on the feed makes RFC 6902 diffs of System.Text.Json
/// documents (JsonDiffPatch.Net speaks its own delta format, on Newtonsoft; ASP.NET's JsonPatch applies
/// patches to models but does not compute them). Objects are compared key by key; arrays element by
/// element up to the shorter length, then the tail is added or removed from the end (so the patch
/// stays valid when applied in order) — what a Kubernetes spec's lists (containers, ports) need.
/// </summary>
public static class JsonDiff
{
    public static List<PatchOperation> Diff(JsonNode? before, JsonNode? after)
    {
        List<PatchOperation> ops = [];
        Walk(before, after, "", ops);
        return ops;
    }

    private static void Walk(JsonNode? before, JsonNode? after, string path, List<PatchOperation> ops)
    {
        switch (before, after)
        {
            case (JsonObject b, JsonObject a):
                foreach (var (key, value) in b)
                {
                    if (!a.ContainsKey(key)) ops.Add(new PatchOperation("remove", JsonPointer.Append(path, key)));
                }
                foreach (var (key, value) in a)
                {
                    var child = JsonPointer.Append(path, key);
                    if (b.TryGetPropertyValue(key, out var old)) Walk(old, value, child, ops);
                    else ops.Add(new PatchOperation("add", child, value?.DeepClone()));
                }
                return;
            case (JsonArray b, JsonArray a):
                var common = Math.Min(b.Count, a.Count);
                for (var i = 0; i < common; i++) Walk(b[i], a[i], JsonPointer.Append(path, i), ops);
                for (var i = b.Count - 1; i >= a.Count; i--) ops.Add(new PatchOperation("remove", JsonPointer.Append(path, i)));
                for (var i = b.Count; i < a.Count; i++) ops.Add(new PatchOperation("add", JsonPointer.Append(path, i), a[i]?.DeepClone()));
                return;
            default:
                if (!JsonNode.DeepEquals(before, after)) ops.Add(new PatchOperation("replace", path, after?.DeepClone()));
                return;
        }
    }

    /// <summary>Applies <paramref name="ops"/> to a copy of <paramref name="document"/> and returns it.</summary>
    /// <exception cref="InvalidOperationException">An operation names a place the document does not have.</exception>
    public static JsonNode? Apply(JsonNode? document, IEnumerable<PatchOperation> ops)
    {
        var root = document?.DeepClone();
        foreach (var op in ops)
        {
            var tokens = JsonPointer.Tokens(op.Path);
            if (tokens.Length == 0)
            {
                root = op.Op == "remove" ? null : op.Value?.DeepClone();
                continue;
            }
            var parent = Resolve(root, tokens[..^1], op.Path);
            var last = tokens[^1];
            switch (parent, op.Op)
            {
                case (JsonObject o, "remove"):
                    if (!o.Remove(last)) throw Missing(op.Path);
                    break;
                case (JsonObject o, "add" or "replace"):
                    if (op.Op == "replace" && !o.ContainsKey(last)) throw Missing(op.Path);
                    o[last] = op.Value?.DeepClone();
                    break;
                case (JsonArray a, _):
                    var index = last == "-" ? a.Count : int.Parse(last, System.Globalization.CultureInfo.InvariantCulture);
                    if (op.Op == "add")
                    {
                        if (index > a.Count) throw Missing(op.Path);
                        a.Insert(index, op.Value?.DeepClone());
                    }
                    else
                    {
                        if (index >= a.Count) throw Missing(op.Path);
                        if (op.Op == "remove") a.RemoveAt(index);
                        else a[index] = op.Value?.DeepClone();
                    }
                    break;
                default:
                    throw Missing(op.Path);
            }
        }
        return root;
    }

    private static JsonNode? Resolve(JsonNode? root, string[] tokens, string path)
    {
        var node = root;
        foreach (var token in tokens)
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var child) => child,
                JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw Missing(path),
            };
        }
        return node;
    }

    private static InvalidOperationException Missing(string path) => new($"the document has no place at {path}");
}
