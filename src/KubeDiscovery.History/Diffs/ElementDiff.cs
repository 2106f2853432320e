using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeDiscovery.History.Diffs;

/// <summary>
/// <see cref="JsonDiff"/> over read-only documents, for the recorder: a subtree whose bytes are the same in
/// both versions is skipped with one memory compare, so an image change in a Deployment walks one path down
/// to it and touches nothing else, and no tree of nodes is ever built. Same operations, same order.
/// </summary>
public static class ElementDiff
{
    public static List<PatchOperation> Diff(JsonElement before, JsonElement after)
    {
        List<PatchOperation> ops = [];
        List<string> path = [];
        Walk(before, after, path, ops);
        return ops;
    }

    private static void Walk(JsonElement before, JsonElement after, List<string> path, List<PatchOperation> ops)
    {
        if (JsonMarshal.GetRawUtf8Value(before).SequenceEqual(JsonMarshal.GetRawUtf8Value(after))) return;
        switch (before.ValueKind, after.ValueKind)
        {
            case (JsonValueKind.Object, JsonValueKind.Object):
                foreach (var p in before.EnumerateObject())
                {
                    if (!after.TryGetProperty(p.Name, out _)) ops.Add(new PatchOperation("remove", Pointer(path, p.Name)));
                }
                foreach (var p in after.EnumerateObject())
                {
                    if (before.TryGetProperty(p.Name, out var old))
                    {
                        path.Add(p.Name);
                        Walk(old, p.Value, path, ops);
                        path.RemoveAt(path.Count - 1);
                    }
                    else
                    {
                        ops.Add(new PatchOperation("add", Pointer(path, p.Name), Node(p.Value)));
                    }
                }
                return;
            case (JsonValueKind.Array, JsonValueKind.Array):
                var b = before.EnumerateArray();
                var a = after.EnumerateArray();
                var i = 0;
                bool hasB, hasA;
                while ((hasB = b.MoveNext()) & (hasA = a.MoveNext()))
                {
                    path.Add(Index(i++));
                    Walk(b.Current, a.Current, path, ops);
                    path.RemoveAt(path.Count - 1);
                }
                if (hasB)
                {
                    // The tail goes from the end, so each removal names an index that still exists.
                    var count = before.GetArrayLength();
                    for (var r = count - 1; r >= i; r--) ops.Add(new PatchOperation("remove", Pointer(path, Index(r))));
                }
                for (; hasA; hasA = a.MoveNext()) ops.Add(new PatchOperation("add", Pointer(path, Index(i++)), Node(a.Current)));
                return;
            case (JsonValueKind.String, JsonValueKind.String) when before.ValueEquals(after.GetString()):
                return; // the same text, escaped differently
            default:
                ops.Add(new PatchOperation("replace", Pointer(path, null), Node(after)));
                return;
        }
    }

    private static JsonNode? Node(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : JsonNode.Parse(value.GetRawText());

    private static string Index(int i) => i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Pointer(List<string> path, string? last)
    {
        var pointer = "";
        foreach (var token in path) pointer = JsonPointer.Append(pointer, token);
        return last is null ? pointer : JsonPointer.Append(pointer, last);
    }
}
