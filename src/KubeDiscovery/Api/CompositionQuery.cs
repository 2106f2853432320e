using System.Globalization;
using KubeDiscovery.Graph.Compositions;
using Microsoft.AspNetCore.Http;

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

    /// <param name="tree">True for <c>format=tree</c> (text), false for <c>format=json</c> or none.</param>
    public static bool TryReadFormat(IQueryCollection query, out bool tree, out string error)
    {
        tree = false;
        error = "";
        if (!query.TryGetValue("format", out var format)) return true;
        switch (format.ToString())
        {
            case "json": return true;
            case "tree": tree = true; return true;
            default:
                error = $"unknown format \"{format}\": use format=json (the default) or format=tree";
                return false;
        }
    }
}
