using System.Text.Json;

namespace KubeDiscovery.Api;

/// <summary>The lines of a watch stream, as kube-apiserver writes them: one <c>WatchEvent</c> per line, flushed at once.</summary>
internal static class WatchEvents
{
    public static async Task WriteAsync(HttpContext context, string type, Action<Utf8JsonWriter> body, CancellationToken cancellationToken)
    {
        var output = context.Response.BodyWriter;
        using (var w = new Utf8JsonWriter(output, ApiJsonContext.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            w.WritePropertyName("object");
            body(w);
            w.WriteEndObject();
        }
        output.GetSpan(1)[0] = (byte)'\n';
        output.Advance(1);
        await output.FlushAsync(cancellationToken);
    }

    /// <summary>A <c>BOOKMARK</c>'s object: only the kind and where the watch is.</summary>
    public static void Bookmark(Utf8JsonWriter w, string kind, long version)
    {
        w.WriteStartObject();
        w.WriteString("apiVersion", KubeDiscoveryApi.GroupVersion);
        w.WriteString("kind", kind);
        w.WriteStartObject("metadata");
        w.WriteString("resourceVersion", version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>What kube-apiserver sends when a watch's resourceVersion is compacted away (410): the client lists again.</summary>
    public static void Gone(Utf8JsonWriter w, string message) =>
        JsonSerializer.Serialize(w, new KubeStatus { Code = 410, Reason = "Expired", Message = message }, ApiJsonContext.Relaxed.KubeStatus);

    /// <summary>
    /// Kestrel would cut a reader slower than 240 B/s without a word. A watch follows a log with a cursor, so a
    /// slow reader costs no memory here: it falls behind until the log no longer covers its cursor, and is
    /// then told so (ERROR, 410) and lists again, as from kube-apiserver.
    /// </summary>
    public static void KeepSlowReaders(HttpContext context)
    {
        if (context.Features.Get<Microsoft.AspNetCore.Server.Kestrel.Core.Features.IHttpMinResponseDataRateFeature>() is { } rate) rate.MinDataRate = null;
    }

    /// <summary>Starts the stream and sends its headers now, even when no event is due yet: kubectl waits for them.</summary>
    public static async Task StartAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        await response.StartAsync(cancellationToken);
        await response.BodyWriter.FlushAsync(cancellationToken);
    }
}
