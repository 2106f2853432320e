using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using KubeDiscovery.Api.Compositions;
using KubeDiscovery.History.Storage;

namespace KubeDiscovery.Api.History;

/// <summary>
/// Continue tokens of the <c>changes</c> lists. As for compositions (<see cref="ListPages"/>) a token is
/// self-contained, not server memory: the window's start as the first page fixed it, the store's last row
/// then (the list's resourceVersion: later rows are the watch's), where the next page starts, and a digest
/// of the filters, so a token is refused for another list.
/// </summary>
internal static class ChangePages
{
    private const int Version = 1;

    /// <param name="After">Where this page starts; null for the first.</param>
    public sealed record Position(DateTimeOffset Since, long UpToSeq, ChangeCursor? After);

    public static string Token(string query, Position position)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("v", Version);
            w.WriteString("q", ListPages.Digest(query));
            w.WriteNumber("s", position.Since.ToUnixTimeMilliseconds());
            w.WriteNumber("u", position.UpToSeq);
            if (position.After is { } after)
            {
                w.WriteNumber("at", after.ObservedAt.ToUnixTimeMilliseconds());
                w.WriteNumber("seq", after.Seq);
            }
            w.WriteEndObject();
        }
        return Base64Url.EncodeToString(buffer.WrittenSpan);
    }

    /// <summary>The position a token continues at, or null when it is not this server's token for <paramref name="query"/>.</summary>
    public static Position? Read(string token, string query)
    {
        try
        {
            if (token.Length > 1024) return null;
            using var document = JsonDocument.Parse(Base64Url.DecodeFromChars(token));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Number(root, "v") != Version) return null;
            if (!root.TryGetProperty("q", out var q) || q.ValueKind != JsonValueKind.String || q.GetString() != ListPages.Digest(query)) return null;
            if (Number(root, "s") is not { } since || Number(root, "u") is not { } upTo) return null;
            if (since < 0 || since > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() || upTo < 0) return null;
            ChangeCursor? after = null;
            if (Number(root, "at") is { } at && Number(root, "seq") is { } seq)
            {
                if (at < 0 || at > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()) return null;
                after = new ChangeCursor(DateTimeOffset.FromUnixTimeMilliseconds(at), seq);
            }
            return new Position(DateTimeOffset.FromUnixTimeMilliseconds(since), upTo, after);
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static long? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;
}
