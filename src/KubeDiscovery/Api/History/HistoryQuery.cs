using System.Globalization;
using KubeDiscovery.Cli;
using KubeDiscovery.History.Diffs;

namespace KubeDiscovery.Api.History;

/// <summary>The query parameters of history requests, each refused with a message that says what it wants.</summary>
internal static class HistoryQuery
{
    public const int MaxLimit = 10_000;

    /// <summary><c>since</c>: a duration back from now (<c>1h</c>, <c>30m</c>) or an RFC 3339 time; 1h when absent; any further back than 1970 is everything.</summary>
    public static bool TryReadSince(IQueryCollection query, DateTimeOffset now, out DateTimeOffset since, out string error) =>
        TryReadSince(query["since"].ToString(), now, out since, out error);

    /// <inheritdoc cref="TryReadSince(IQueryCollection, DateTimeOffset, out DateTimeOffset, out string)"/>
    public static bool TryReadSince(string text, DateTimeOffset now, out DateTimeOffset since, out string error)
    {
        error = "";
        since = now - TimeSpan.FromHours(1);
        if (text.Length == 0) return true;
        if (GoDuration.TryParse(text, out var back) && back >= TimeSpan.Zero)
        {
            // Further back than anything stored (1970, in the stores' milliseconds) is simply everything.
            since = back >= now - DateTimeOffset.UnixEpoch ? DateTimeOffset.UnixEpoch : now - back;
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out since))
        {
            if (since < DateTimeOffset.UnixEpoch) since = DateTimeOffset.UnixEpoch;
            return true;
        }
        error = $"since must be a duration such as 1h or 30m, or an RFC 3339 time such as 2026-11-26T10:00:00Z, not \"{text}\"";
        return false;
    }

    /// <summary>A version number parameter; null when absent.</summary>
    public static bool TryReadNumber(IQueryCollection query, string name, out long? number, out string error)
    {
        error = "";
        number = null;
        var text = query[name].ToString();
        if (text.Length == 0) return true;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            number = n;
            return true;
        }
        error = $"{name} must be a version number (1 or more, as versions lists them), not \"{text}\"";
        return false;
    }

    /// <summary>A field path parameter (dotted as versions prints them, or a JSON pointer) as a JSON pointer; null when absent.</summary>
    public static bool TryReadField(IQueryCollection query, string name, out string? pointer, out string error)
    {
        error = "";
        pointer = null;
        var text = query[name].ToString();
        if (text.Length == 0) return true;
        try
        {
            pointer = JsonPointer.FromPath(text);
            return true;
        }
        catch (FormatException e)
        {
            error = $"{name}: {e.Message} (write spec.replicas, spec.template.spec.containers[0].image, or a JSON pointer such as /spec/replicas)";
            return false;
        }
    }
}
