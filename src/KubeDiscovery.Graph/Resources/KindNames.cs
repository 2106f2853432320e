namespace KubeDiscovery.Graph.Resources;

/// <summary>Naming helpers for kinds that no discovery document or CRD describes.</summary>
public static class KindNames
{
    /// <summary>
    /// The plural resource name for a kind, guessed the way apimachinery's
    /// <c>meta.UnsafeGuessKindToResource</c> does (lower-case; <c>s</c>→<c>ses</c>, <c>y</c>→<c>ies</c>).
    /// </summary>
    public static string GuessPlural(string kind)
    {
        if (kind.Length == 0) return kind;
        var singular = kind.ToLowerInvariant();
        return singular[^1] switch
        {
            's' => singular + "es",
            'y' => singular[..^1] + "ies",
            _ => singular + "s",
        };
    }

    /// <summary>Splits <c>group/version</c> (or just <c>version</c> for the core group).</summary>
    public static (string Group, string Version) SplitApiVersion(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/');
        return slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
    }
}
