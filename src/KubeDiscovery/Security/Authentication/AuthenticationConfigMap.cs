using System.Security.Cryptography;
using System.Text.Json;

namespace KubeDiscovery.Security.Authentication;

/// <summary>
/// Reads <c>kube-system/extension-apiserver-authentication</c>, where kube-apiserver publishes the
/// client CA and the front-proxy (request-header) settings for aggregated servers.
/// </summary>
internal static class AuthenticationConfigMap
{
    public const string Namespace = "kube-system";
    public const string Name = "extension-apiserver-authentication";

    public const string ClientCaKey = "client-ca-file";
    public const string RequestHeaderCaKey = "requestheader-client-ca-file";

    /// <summary>
    /// The client CA, or null when the ConfigMap has none. A malformed bundle throws
    /// <see cref="FormatException"/>: serving with half the trust material would be worse than the last good one.
    /// </summary>
    public static CertificateAuthority? ReadClientCa(IDictionary<string, string>? data, TimeProvider time) =>
        data is not null && data.TryGetValue(ClientCaKey, out var pem) && !string.IsNullOrWhiteSpace(pem) ? Authority(ClientCaKey, pem, time) : null;

    /// <summary>The request-header settings, or null when kube-apiserver has no front-proxy CA (the keys are then absent).</summary>
    public static RequestHeaderConfig? ReadRequestHeader(IDictionary<string, string>? data, TimeProvider time)
    {
        if (data is null || !data.TryGetValue(RequestHeaderCaKey, out var pem) || string.IsNullOrWhiteSpace(pem)) return null;
        return new RequestHeaderConfig(
            Authority(RequestHeaderCaKey, pem, time),
            AllowedNames: List(data, "requestheader-allowed-names"),
            UsernameHeaders: List(data, "requestheader-username-headers"),
            GroupHeaders: List(data, "requestheader-group-headers"),
            ExtraHeaderPrefixes: List(data, "requestheader-extra-headers-prefix"),
            UidHeaders: List(data, "requestheader-uid-headers"));
    }

    private static CertificateAuthority Authority(string key, string pem, TimeProvider time)
    {
        try
        {
            return CertificateAuthority.FromPem(pem, time);
        }
        catch (CryptographicException e)
        {
            throw new FormatException($"{key} is not a PEM certificate bundle: {e.Message}", e);
        }
    }

    // Values are JSON string arrays; kube-apiserver writes an unset list as "null".
    private static List<string> List(IDictionary<string, string> data, string key)
    {
        if (!data.TryGetValue(key, out var json) || string.IsNullOrWhiteSpace(json)) return [];
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind == JsonValueKind.Null) return [];
            if (doc.RootElement.ValueKind != JsonValueKind.Array) throw new FormatException($"{key} is not a JSON array: {json}");
            List<string> values = [];
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String) throw new FormatException($"{key} holds a non-string: {json}");
                if (item.GetString() is { Length: > 0 } value) values.Add(value);
            }
            return values;
        }
        catch (JsonException e)
        {
            throw new FormatException($"{key} is not a JSON array: {e.Message}", e);
        }
    }
}
