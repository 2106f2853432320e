using System.Globalization;

namespace KubeDiscovery.Api.Compositions;

/// <summary>
/// The watch parameters, read as kube-apiserver reads them: <c>watch</c> and <c>allowWatchBookmarks</c> as
/// Go's <c>strconv.ParseBool</c> does (1, t, T, TRUE, true, True; 0, f, F, FALSE, false, False), and
/// <c>timeoutSeconds</c> and <c>resourceVersion</c> as whole numbers. Anything else is a <c>400</c> naming
/// the parameter, never a guess.
/// </summary>
internal sealed record WatchQuery(bool Watch, bool Bookmarks, TimeSpan? Timeout, long? ResourceVersion)
{
    /// <summary>kube-apiserver's longest watch; a larger timeoutSeconds is cut to it.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(24);

    /// <summary>Whether the request is a watch; false for anything <see cref="TryRead"/> would refuse (authorization reads it before the query is checked).</summary>
    public static bool IsWatch(IQueryCollection query) => Bool(query["watch"].ToString()) == true;

    public static bool TryRead(IQueryCollection query, out WatchQuery watch, out string error)
    {
        watch = new WatchQuery(false, false, null, null);
        error = "";
        if (!TryBool(query, "watch", out var isWatch, out error) || !TryBool(query, "allowWatchBookmarks", out var bookmarks, out error)) return false;
        TimeSpan? timeout = null;
        if (query["timeoutSeconds"].ToString() is { Length: > 0 } seconds)
        {
            if (!long.TryParse(seconds, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s) || s < 0)
            {
                error = $"timeoutSeconds must be a whole number of seconds, 0 or more, not \"{seconds}\"";
                return false;
            }
            timeout = s == 0 ? null : TimeSpan.FromSeconds(Math.Min(s, (long)MaxTimeout.TotalSeconds));
        }
        long? version = null;
        if (query["resourceVersion"].ToString() is { Length: > 0 } text)
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            {
                error = $"invalid resource version: \"{text}\" is not a resourceVersion this server gave (a whole number)";
                return false;
            }
            version = v;
        }
        watch = new WatchQuery(isWatch, bookmarks, timeout, version);
        return true;
    }

    private static bool TryBool(IQueryCollection query, string name, out bool value, out string error)
    {
        error = "";
        var text = query[name].ToString();
        value = false;
        if (text.Length == 0) return true;
        if (Bool(text) is { } parsed)
        {
            value = parsed;
            return true;
        }
        error = $"{name} must be true or false, not \"{text}\"";
        return false;
    }

    private static bool? Bool(string text) => text switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };
}
