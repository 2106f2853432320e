using System.Globalization;
using KubeDiscovery.Graph.Connections;

namespace KubeDiscovery.Api.Connections;

/// <summary>
/// The query parameters of a connections answer: <c>depth</c> (default 1), <c>direction</c> (default both),
/// <c>kinds</c> (edge kinds to follow, comma-separated; default all), <c>through</c> (hub kinds to walk
/// through, or <c>all</c>; default none) and <c>format</c> (json, tree, dot, mermaid).
/// </summary>
internal static class ConnectionQuery
{
    /// <summary>All of them, read into a walk and a format; false with a message that says what is wanted.</summary>
    public static bool TryRead(IQueryCollection query, out ConnectionWalk walk, out CompositionFormat format, out string error)
    {
        walk = new ConnectionWalk();
        if (!TryReadDepthAndDirection(query, out var depth, out var direction, out error) || !CompositionQuery.TryReadFormat(query, out format, out error))
        {
            format = CompositionFormat.Json;
            return false;
        }
        walk = walk with { Depth = depth, Direction = direction };
        if (query["kinds"].ToString() is { Length: > 0 } kinds)
        {
            var set = kinds.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            if (set.Count == 0 || set.Any(k => k.Length > 63 || !k.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
            {
                error = $"kinds must be edge kinds separated by commas, such as kinds=mounts,selects (format=json names them in edges[].kind), not \"{kinds}\"";
                return false;
            }
            walk = walk with { Kinds = set };
        }
        if (query["through"].ToString() is { Length: > 0 } through)
        {
            if (through == "all") walk = walk with { AllHubs = true };
            else
            {
                var set = through.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
                var hubs = ConnectionWalk.HubKinds.Select(h => h.Kind).ToHashSet(StringComparer.Ordinal);
                if (set.Count == 0 || set.Any(k => !hubs.Contains(k)))
                {
                    error = $"through names hub kinds to walk through ({string.Join(", ", hubs.Order(StringComparer.Ordinal))}) or all, not \"{through}\"";
                    return false;
                }
                walk = walk with { Through = set };
            }
        }
        return true;
    }

    public static bool TryReadDepthAndDirection(IQueryCollection query, out int depth, out Direction direction, out string error)
    {
        depth = 1;
        direction = Direction.Both;
        error = "";
        if (query.TryGetValue("depth", out var depthValue))
        {
            var text = depthValue.ToString();
            if (text.Length == 0 || !text.All(char.IsAsciiDigit) || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out depth))
            {
                error = $"depth must be an integer from 0 to {ConnectionBuilder.MaxDepth}, not \"{depthValue}\"";
                return false;
            }
            if (depth > ConnectionBuilder.MaxDepth)
            {
                // A neighbourhood widens fast: past a few levels it is the whole cluster, which `*` lists do better.
                error = $"depth {depth} is too large: connections go at most {ConnectionBuilder.MaxDepth} levels out";
                return false;
            }
        }
        if (query.TryGetValue("direction", out var directionValue))
        {
            switch (directionValue.ToString())
            {
                case "out": direction = Direction.Out; break;
                case "in": direction = Direction.In; break;
                case "both": direction = Direction.Both; break;
                default:
                    error = $"direction must be out, in or both, not \"{directionValue}\"";
                    return false;
            }
        }
        return true;
    }

    public static string Text(Direction direction) => direction switch
    {
        Direction.Out => "out",
        Direction.In => "in",
        _ => "both",
    };
}
