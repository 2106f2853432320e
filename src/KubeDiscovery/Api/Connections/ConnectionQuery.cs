using System.Globalization;
using KubeDiscovery.Graph.Connections;

namespace KubeDiscovery.Api.Connections;

/// <summary>The query parameters of a connections answer: <c>depth</c> (default 1) and <c>direction</c> (default both).</summary>
internal static class ConnectionQuery
{
    public static bool TryRead(IQueryCollection query, out int depth, out Direction direction, out string error)
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
