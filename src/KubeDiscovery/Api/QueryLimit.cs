using System.Globalization;

namespace KubeDiscovery.Api;

/// <summary><c>?limit=</c>: how many items an answer may hold, refused with a message that says what it wants.</summary>
internal static class QueryLimit
{
    public static bool TryRead(IQueryCollection query, int fallback, int max, out int limit, out string error)
    {
        error = "";
        limit = fallback;
        var text = query["limit"].ToString();
        if (text.Length == 0) return true;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit > 0 && limit <= max) return true;
        error = $"limit must be a whole number from 1 to {max}, not \"{text}\"";
        return false;
    }
}
