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
}
