using System.Globalization;
using KubeDiscovery.Graph.Compositions;

namespace KubeDiscovery.Api;

/// <summary>The query parameters every composition answer reads the same way: <c>depth</c> and <c>format</c>.</summary>
internal static class CompositionQuery
{
    public static bool TryReadDepth(IQueryCollection query, out int? depth, out string error)
    {
        depth = null;
        error = "";
        if (!query.TryGetValue("depth", out var depthValue)) return true;
        var text = depthValue.ToString();
        if (text.Length == 0 || !text.All(char.IsAsciiDigit))
        {
            error = $"depth must be a non-negative integer, not \"{depthValue}\"";
            return false;
        }
        // Any depth beyond the cap answers the same tree; only a number too large to read is an error.
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var d))
        {
            error = $"depth {text} is too large: trees are cut at {CompositionOptions.DefaultDepthCap} levels";
            return false;
        }
        depth = d;
        return true;
    }

    public static bool TryReadFormat(IQueryCollection query, out CompositionFormat format, out string error)
    {
        format = CompositionFormat.Json;
        error = "";
        if (!query.TryGetValue("format", out var value)) return true;
        switch (value.ToString())
        {
            case "json": return true;
            case "tree": format = CompositionFormat.Tree; return true;
            case "dot": format = CompositionFormat.Dot; return true;
            case "mermaid": format = CompositionFormat.Mermaid; return true;
            default:
                error = $"unknown format \"{value}\": use format=json (the default), tree, dot or mermaid";
                return false;
        }
    }

    /// <summary>The media type each format answers with.</summary>
    public static string MediaType(CompositionFormat format) => format switch
    {
        CompositionFormat.Tree or CompositionFormat.Mermaid => "text/plain",
        CompositionFormat.Dot => "text/vnd.graphviz",
        _ => "application/json",
    };

    /// <summary>Writes a text format (tree, dot, mermaid) of <paramref name="roots"/>.</summary>
    public static Task WriteTextAsync(HttpContext context, CompositionFormat format, IReadOnlyList<Graph.Compositions.CompositionNode> roots, DateTimeOffset now)
    {
        context.Response.ContentType = MediaType(format) + "; charset=utf-8";
        var text = format switch
        {
            CompositionFormat.Dot => Rendering.PictureWriter.Dot(roots),
            CompositionFormat.Mermaid => Rendering.PictureWriter.Mermaid(roots),
            _ => Rendering.TreeTextWriter.Render(roots, now),
        };
        return context.Response.WriteAsync(text, System.Text.Encoding.UTF8, context.RequestAborted);
    }
}

/// <summary>The <c>format</c> of a composition answer.</summary>
internal enum CompositionFormat
{
    Json,
    Tree,
    Dot,
    Mermaid,
}
