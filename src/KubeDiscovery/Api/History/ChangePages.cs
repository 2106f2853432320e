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
    /// <param name="After">Where this page starts; null for the first.</param>
    public sealed record Position(DateTimeOffset Since, long UpToSeq, ChangeCursor? After);

    public static string Token(string query, Position position) => ListPages.Encode(query, w =>
    {
        w.WriteNumber("s", position.Since.ToUnixTimeMilliseconds());
        w.WriteNumber("u", position.UpToSeq);
        if (position.After is { } after)
        {
            w.WriteNumber("at", after.ObservedAt.ToUnixTimeMilliseconds());
            w.WriteNumber("seq", after.Seq);
        }
    });

    /// <summary>The position a token continues at, or null when it is not this server's token for <paramref name="query"/>.</summary>
    public static Position? Read(string token, string query) => ListPages.Decode(token, query, root =>
    {
        if (Number(root, "s") is not { } since || Number(root, "u") is not { } upTo) return null;
        if (!IsTime(since) || upTo < 0) return null;
        ChangeCursor? after = null;
        if (Number(root, "at") is { } at && Number(root, "seq") is { } seq)
        {
            if (!IsTime(at)) return null;
            after = new ChangeCursor(DateTimeOffset.FromUnixTimeMilliseconds(at), seq);
        }
        return new Position(DateTimeOffset.FromUnixTimeMilliseconds(since), upTo, after);
    });

    private static bool IsTime(long ms) => ms >= 0 && ms <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private static long? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;
}
