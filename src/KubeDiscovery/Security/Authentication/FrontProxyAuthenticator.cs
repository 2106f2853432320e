using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Primitives;

namespace KubeDiscovery.Security.Authentication;

/// <summary>
/// Trusts the user named in request headers only when the connection presented a client certificate
/// from the front proxy (kube-apiserver's aggregator), as k8s.io/apiserver's requestheader authenticator:
/// the certificate must verify against the request-header CA and carry an allowed common name.
/// </summary>
internal static class FrontProxyAuthenticator
{
    /// <summary>The headers kube-apiserver sends; stripped from every request whatever is configured.</summary>
    public static readonly string[] StandardHeaders = ["X-Remote-User", "X-Remote-Group", "X-Remote-Uid"];
    public const string StandardExtraPrefix = "X-Remote-Extra-";

    public static AuthenticationResult Authenticate(RequestHeaderConfig config, IHeaderDictionary headers, X509Certificate2? certificate, X509Certificate2Collection? intermediates)
    {
        if (certificate is null) return AuthenticationResult.NoOpinion;
        var error = config.Authority.Verify(certificate, intermediates);
        if (error is not null) return AuthenticationResult.Failure(error);

        var commonName = CertificateNames.CommonName(certificate);
        if (config.AllowedNames.Count > 0 && !config.AllowedNames.Contains(commonName, StringComparer.Ordinal))
        {
            return AuthenticationResult.Failure($"x509: subject with cn={commonName} is not in the allowed list");
        }

        var name = FirstValue(headers, config.UsernameHeaders);
        if (name is null) return AuthenticationResult.NoOpinion;
        return AuthenticationResult.Success(UserInfo.Create(
            name,
            FirstValue(headers, config.UidHeaders),
            AllValues(headers, config.GroupHeaders),
            Extra(headers, config.ExtraHeaderPrefixes)));
    }

    /// <summary>Removes every identity header, configured or standard, so nothing later can read a forged one.</summary>
    public static void Strip(IHeaderDictionary headers, RequestHeaderConfig? config)
    {
        foreach (var header in StandardHeaders) headers.Remove(header);
        List<string>? remove = null;
        foreach (var key in headers.Keys)
        {
            if (key.StartsWith(StandardExtraPrefix, StringComparison.OrdinalIgnoreCase) || HasPrefix(key, config?.ExtraHeaderPrefixes)) (remove ??= []).Add(key);
        }
        if (remove is not null) foreach (var key in remove) headers.Remove(key);
        if (config is null) return;
        foreach (var header in config.UsernameHeaders) headers.Remove(header);
        foreach (var header in config.GroupHeaders) headers.Remove(header);
        foreach (var header in config.UidHeaders) headers.Remove(header);
    }

    private static bool HasPrefix(string key, IReadOnlyList<string>? prefixes)
    {
        if (prefixes is null) return false;
        foreach (var prefix in prefixes)
        {
            if (key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    // Go's headerValue: the first value of the first listed header whose first value is not empty.
    private static string? FirstValue(IHeaderDictionary headers, IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            if (headers.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0])) return values[0];
        }
        return null;
    }

    // Every non-empty value of every listed header, in order. Values are never split on commas:
    // a group name may contain one.
    private static List<string> AllValues(IHeaderDictionary headers, IReadOnlyList<string> names)
    {
        List<string> all = [];
        foreach (var name in names)
        {
            if (!headers.TryGetValue(name, out var values)) continue;
            foreach (var value in values)
            {
                if (!string.IsNullOrEmpty(value)) all.Add(value);
            }
        }
        return all;
    }

    // For each prefix in order, each header starting with it: key = unescape(lowercase(rest)).
    private static Dictionary<string, IReadOnlyList<string>> Extra(IHeaderDictionary headers, IReadOnlyList<string> prefixes)
    {
        var extra = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var prefix in prefixes)
        {
            foreach (var (key, values) in headers)
            {
                if (!key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) continue;
                var extraKey = PathUnescape(key[prefix.Length..].ToLowerInvariant());
                if (!extra.TryGetValue(extraKey, out var list)) extra[extraKey] = list = [];
                foreach (var value in (StringValues)values) list.Add(value ?? "");
            }
        }
        return extra.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value, StringComparer.Ordinal);
    }

    /// <summary>Go's <c>url.PathUnescape</c>, falling back to the raw key when an escape is malformed, as kube-apiserver does.</summary>
    internal static string PathUnescape(string key)
    {
        for (var i = key.IndexOf('%'); i >= 0; i = key.IndexOf('%', i + 1))
        {
            if (i + 2 >= key.Length || !Uri.IsHexDigit(key[i + 1]) || !Uri.IsHexDigit(key[i + 2])) return key;
        }
        return Uri.UnescapeDataString(key);
    }
}
