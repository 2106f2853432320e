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
    public static string Serialize(IEnumerable<PatchOperation> ops)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var op in ops)
            {
                w.WriteStartObject();
                w.WriteString("op", op.Op);
                w.WriteString("path", op.Path);
                if (op.Op != "remove")
                {
                    w.WritePropertyName("value");
                    if (op.Value is null) w.WriteNullValue();
                    else op.Value.WriteTo(w);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

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
        Walk(before, after, [], ops);
        return ops;
    }

    // The path is a stack of tokens, made into a pointer only for an operation: most of a tree is unchanged.
    private static void Walk(JsonNode? before, JsonNode? after, List<string> path, List<PatchOperation> ops)
    {
        switch (before, after)
        {
            case (JsonObject b, JsonObject a):
                foreach (var (key, _) in b)
                {
                    if (!a.ContainsKey(key)) ops.Add(new PatchOperation("remove", Pointer(path, key)));
                }
                foreach (var (key, value) in a)
                {
                    if (b.TryGetPropertyValue(key, out var old))
                    {
                        path.Add(key);
                        Walk(old, value, path, ops);
                        path.RemoveAt(path.Count - 1);
                    }
                    else
                    {
                        ops.Add(new PatchOperation("add", Pointer(path, key), value?.DeepClone()));
                    }
                }
                return;
            case (JsonArray b, JsonArray a):
                var common = Math.Min(b.Count, a.Count);
                for (var i = 0; i < common; i++)
                {
                    path.Add(Index(i));
                    Walk(b[i], a[i], path, ops);
                    path.RemoveAt(path.Count - 1);
                }
                for (var i = b.Count - 1; i >= a.Count; i--) ops.Add(new PatchOperation("remove", Pointer(path, Index(i))));
                for (var i = b.Count; i < a.Count; i++) ops.Add(new PatchOperation("add", Pointer(path, Index(i)), a[i]?.DeepClone()));
                return;
            default:
                if (!Same(before, after)) ops.Add(new PatchOperation("replace", Pointer(path, null), after?.DeepClone()));
                return;
        }
    }

    // Leaves compared by kind and value; JsonNode.DeepEquals goes through a serialization for most values.
    private static bool Same(JsonNode? before, JsonNode? after)
    {
        if (before is not JsonValue b || after is not JsonValue a) return JsonNode.DeepEquals(before, after);
        var kind = b.GetValueKind();
        if (kind != a.GetValueKind()) return false;
        return kind switch
        {
            System.Text.Json.JsonValueKind.String => b.GetValue<string>() == a.GetValue<string>(),
            System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False or System.Text.Json.JsonValueKind.Null => true,
            _ => b.ToJsonString() == a.ToJsonString(),
        };
    }

    private static string Index(int i) => i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Pointer(List<string> path, string? last)
    {
        var pointer = "";
        foreach (var token in path) pointer = JsonPointer.Append(pointer, token);
        return last is null ? pointer : JsonPointer.Append(pointer, last);
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
