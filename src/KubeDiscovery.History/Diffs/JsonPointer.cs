using System.Text;

namespace KubeDiscovery.History.Diffs;

/// <summary>RFC 6901 JSON Pointers: <c>/metadata/labels/app.kubernetes.io~1name</c>.</summary>
public static class JsonPointer
{
    /// <summary>One reference token: <c>~</c> as <c>~0</c>, <c>/</c> as <c>~1</c> (in that order).</summary>
    public static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public static string Unescape(string token) => token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);

    public static string Append(string pointer, string token) => pointer + "/" + Escape(token);

    public static string Append(string pointer, int index) => pointer + "/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The reference tokens of <paramref name="pointer"/>, unescaped; the empty pointer (the whole document) has none.</summary>
    /// <exception cref="FormatException">A non-empty pointer that does not start with <c>/</c>.</exception>
    public static string[] Tokens(string pointer)
    {
        if (pointer.Length == 0) return [];
        if (pointer[0] != '/') throw new FormatException($"JSON pointer \"{pointer}\" must start with /");
        return pointer[1..].Split('/').Select(Unescape).ToArray();
    }

    /// <summary>The pointer as a dotted path for people (<c>spec.template.spec.containers[0].image</c>).</summary>
    public static string ToPath(string pointer)
    {
        var path = new StringBuilder();
        foreach (var token in Tokens(pointer))
        {
            if (token.Length > 0 && token.All(char.IsAsciiDigit)) path.Append('[').Append(token).Append(']');
            else if (token.Contains('.', StringComparison.Ordinal) || token.Contains('/', StringComparison.Ordinal)) path.Append("[\"").Append(token).Append("\"]");
            else path.Append(path.Length == 0 ? "" : ".").Append(token);
        }
        return path.ToString();
    }

    /// <summary>
    /// A field as people write it — the dotted form <see cref="ToPath"/> gives (<c>spec.replicas</c>,
    /// <c>spec.containers[0].image</c>, <c>metadata.labels["app.kubernetes.io/name"]</c>) or a JSON pointer
    /// (<c>/spec/replicas</c>) — as a JSON pointer.
    /// </summary>
    /// <exception cref="FormatException">Not a path of either form.</exception>
    public static string FromPath(string path)
    {
        if (path.Length == 0) throw new FormatException("a field path cannot be empty");
        if (path[0] == '/') return path;
        var pointer = new StringBuilder();
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] == '[')
            {
                var close = path.IndexOf(']', i);
                if (close < 0) throw new FormatException($"field path \"{path}\" has an unclosed [");
                var inside = path[(i + 1)..close];
                if (inside.Length >= 2 && inside[0] is '"' or '\'' && inside[^1] == inside[0]) inside = inside[1..^1];
                else if (inside.Length == 0 || !inside.All(char.IsAsciiDigit)) throw new FormatException($"field path \"{path}\": [{inside}] is neither an index nor a quoted key");
                pointer.Append('/').Append(Escape(inside));
                i = close + 1;
                if (i < path.Length && path[i] == '.') i++;
                continue;
            }
            var end = path.IndexOfAny(['.', '['], i);
            if (end < 0) end = path.Length;
            if (end == i) throw new FormatException($"field path \"{path}\" has an empty segment");
            pointer.Append('/').Append(Escape(path[i..end]));
            i = end < path.Length && path[end] == '.' ? end + 1 : end;
            if (i == path.Length && path[^1] == '.') throw new FormatException($"field path \"{path}\" ends with a dot");
        }
        return pointer.ToString();
    }

    /// <summary>The node at <paramref name="pointer"/>, or null when the document has nothing there.</summary>
    public static System.Text.Json.Nodes.JsonNode? Find(System.Text.Json.Nodes.JsonNode? root, string pointer)
    {
        var current = root;
        foreach (var token in Tokens(pointer))
        {
            current = current switch
            {
                System.Text.Json.Nodes.JsonObject o => o[token],
                System.Text.Json.Nodes.JsonArray a when int.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n < a.Count => a[n],
                _ => null,
            };
            if (current is null) return null;
        }
        return current;
    }
}
