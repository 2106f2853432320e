using System.Globalization;
using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;

namespace KubeDiscovery.Sources.Live;

/// <summary>
/// LIST and WATCH requests sent through the package's own <see cref="HttpClient"/> and credentials (so the
/// kubeconfig's TLS, tokens and exec plugins apply as to every other call) and read by this project. The
/// package's generic custom-object calls deserialize through its source-generated context, which knows
/// its model types only (KubernetesClient.Aot, what a native binary needs), and its watch readers are
/// not in that build: the responses here are read with <see cref="WatchReader"/> and our own JSON.
/// </summary>
public static class KubeRequests
{
    /// <summary>The path of a resource's collection: <c>/api/v1/…</c> for the core group, else <c>/apis/{group}/{version}/…</c>.</summary>
    public static string CollectionPath(string group, string version, string plural, string? @namespace = null)
    {
        var prefix = group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
        return @namespace is null ? $"{prefix}/{plural}" : $"{prefix}/namespaces/{Uri.EscapeDataString(@namespace)}/{plural}";
    }

    /// <summary>A WATCH of a collection from <paramref name="resourceVersion"/>, with bookmarks and kube-apiserver's own timeout.</summary>
    public static string WatchUri(string group, string version, string plural, string? @namespace, string resourceVersion, int timeoutSeconds,
        string? fieldSelector = null) =>
        CollectionPath(group, version, plural, @namespace)
        + Query(("allowWatchBookmarks", true), ("fieldSelector", fieldSelector), ("resourceVersion", resourceVersion), ("timeoutSeconds", timeoutSeconds), ("watch", true));

    /// <summary>A query string from the parameters given (nulls left out), values escaped.</summary>
    public static string Query(params (string Name, object? Value)[] parameters)
    {
        var query = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            var text = value switch
            {
                null => null,
                bool b => b ? "true" : "false",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            };
            if (string.IsNullOrEmpty(text)) continue;
            query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(text));
        }
        return query.ToString();
    }

    /// <summary>
    /// Sends a GET and returns the response once its headers are in (the body is read by the caller, as a
    /// stream: a watch never ends by itself). A status that is not a success throws
    /// <see cref="HttpOperationException"/> with the body, as the package's own calls do.
    /// </summary>
    public static async Task<HttpResponseMessage> GetAsync(IKubernetes client, string relativeUri,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? headers, CancellationToken cancellationToken)
    {
        var kubernetes = client as Kubernetes ?? throw new ArgumentException("a k8s.Kubernetes client is needed (its HttpClient and credentials)", nameof(client));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(kubernetes.BaseUri, relativeUri))
        {
            // HTTP/2 where the server offers it, as the package asks: many watches share one connection.
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        if (headers is not null)
        {
            foreach (var (name, values) in headers) request.Headers.TryAddWithoutValidation(name, values);
        }
        if (kubernetes.Credentials is { } credentials) await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        var response = await kubernetes.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpOperationException($"Operation returned an invalid status code '{response.StatusCode}', response body {body}")
            {
                Request = new HttpRequestMessageWrapper(request, ""),
                Response = new HttpResponseMessageWrapper(response, body),
            };
        }
    }
}
