using System.Text.Json;

namespace KubeDiscovery.Api;

/// <summary>Writes JSON answers straight into the response, lists item by item so none sits whole in memory.</summary>
internal static class JsonAnswers
{
    private const int FlushEvery = 64 * 1024;

    public static async Task WriteAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        context.Response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, ApiJsonContext.WriterOptions))
        {
            write(writer);
        }
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    /// <summary>
    /// Streams a list: its start, each item (flushed every 64 KiB), its end. A failure after the first
    /// bytes aborts the response (see <see cref="KubernetesErrorsMiddleware"/>).
    /// </summary>
    public static Task WriteListAsync<T>(HttpContext context, IEnumerable<T> items,
        Action<Utf8JsonWriter> start, Action<Utf8JsonWriter, T> item, Action<Utf8JsonWriter> end) =>
        WriteListAsync(context, items.ToAsyncEnumerable(), start, item, end);

    /// <summary>The same for items built as they are asked for: each is written before the next is built.</summary>
    public static async Task WriteListAsync<T>(HttpContext context, IAsyncEnumerable<T> items,
        Action<Utf8JsonWriter> start, Action<Utf8JsonWriter, T> item, Action<Utf8JsonWriter> end)
    {
        context.Response.ContentType = "application/json";
        var body = context.Response.BodyWriter;
        await using (var writer = new Utf8JsonWriter(body, ApiJsonContext.WriterOptions))
        {
            start(writer);
            long flushed = 0;
            await foreach (var each in items.WithCancellation(context.RequestAborted))
            {
                item(writer, each);
                writer.Flush();
                if (writer.BytesCommitted - flushed < FlushEvery) continue;
                flushed = writer.BytesCommitted;
                await body.FlushAsync(context.RequestAborted);
            }
            end(writer);
        }
        await body.FlushAsync(context.RequestAborted);
    }
}
