using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Api.Compositions;

/// <summary>
/// Paged lists (<c>limit</c>/<c>continue</c>, kubectl's <c>--chunk-size</c>). As kube-apiserver's, a
/// continue token is self-contained — the key of the last item served and a digest of the query — not
/// server memory: no user's lists can push out another's, a token never expires, and any replica can
/// serve the next page. Items are in one order (namespace, kind, group, name), so a page starts after
/// the last one served: an item is never repeated or skipped, and one created or deleted between pages
/// appears or not as on kube-apiserver after its compaction window (the list is not a snapshot).
/// The caller hands in only what the user may read, so neither a page's size, nor
/// <c>remainingItemCount</c>, nor whether a token comes at all says anything about hidden objects.
/// </summary>
internal static class ListPages
{
    private const int Version = 1;

    /// <summary>
    /// One page of a list, from the <c>limit</c> and <c>continue</c> query parameters. Null when it answered
    /// an error itself (400).
    /// </summary>
    /// <param name="query">What the list is of (resource, namespace, selectors): a token is only good for the same.</param>
    /// <param name="visible">The items the user may read, in <see cref="CompositionRoots.Order"/>.</param>
    public static async Task<Page?> TakeAsync(HttpContext context, string query, Func<ValueTask<IReadOnlyList<ObjectRecord>>> visible)
    {
        var q = context.Request.Query;
        var limit = 0;
        if (q["limit"].ToString() is { Length: > 0 } text && !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit))
        {
            await StatusErrors.BadRequest(context, $"limit must be a non-negative integer, not \"{text}\"");
            return null;
        }
        Key? after = null;
        if (q["continue"].ToString() is { Length: > 0 } token)
        {
            after = Read(token, query);
            if (after is null)
            {
                await StatusErrors.BadRequest(context, "the continue token is not one this server gave for this list: repeat the list without it");
                return null;
            }
        }
        var items = await visible();
        var start = after is null ? 0 : FirstAfter(items, after);
        var end = limit > 0 ? Math.Min(items.Count, start + limit) : items.Count;
        var roots = new ObjectRecord[end - start];
        for (var i = start; i < end; i++) roots[i - start] = items[i];
        return end == items.Count ? new Page(roots, null, null) : new Page(roots, Token(query, items[end - 1]), items.Count - end);
    }

    /// <summary>The token that continues <paramref name="query"/> after <paramref name="last"/>.</summary>
    public static string Token(string query, ObjectRecord last) => Encode(query, w =>
    {
        w.WriteString("ns", last.Namespace ?? "");
        w.WriteString("k", last.Kind);
        w.WriteString("g", last.Type.Group);
        w.WriteString("n", last.Name);
    });

    /// <summary>The key a token continues after, or null when it is not this server's token for <paramref name="query"/>.</summary>
    internal static Key? Read(string token, string query) => Decode(token, query, root =>
        String(root, "ns") is { } ns && String(root, "k") is { } kind && String(root, "g") is { } group && String(root, "n") is { Length: > 0 } name
            ? new Key(ns, kind, group, name)
            : null);

    /// <summary>
    /// A continue token, as every list of this server writes one: base64url JSON holding the format's version,
    /// a digest of the query it continues, and the list's own <paramref name="fields"/>.
    /// </summary>
    internal static string Encode(string query, Action<Utf8JsonWriter> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("v", Version);
            w.WriteString("q", Digest(query));
            fields(w);
            w.WriteEndObject();
        }
        return Base64Url.EncodeToString(buffer.WrittenSpan);
    }

    /// <summary>What <paramref name="read"/> makes of a token's fields; null when it is not this server's token for <paramref name="query"/>.</summary>
    internal static T? Decode<T>(string token, string query, Func<JsonElement, T?> read) where T : class
    {
        try
        {
            if (token.Length > 2048) return null;
            using var document = JsonDocument.Parse(Base64Url.DecodeFromChars(token));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("v", out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var version) || version != Version) return null;
            return String(root, "q") == Digest(query) ? read(root) : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // A short digest: enough to refuse a token from another list, not a secret (the key itself is readable, as kube-apiserver's is).
    private static string Digest(string query) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query)).AsSpan(0, 8));

    // Binary search for the first item ordered after the key.
    private static int FirstAfter(IReadOnlyList<ObjectRecord> items, Key key)
    {
        var (lo, hi) = (0, items.Count);
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Compare(items[mid], key) <= 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    // CompositionRoots.Order, against a key.
    private static int Compare(ObjectRecord a, Key key)
    {
        var c = string.CompareOrdinal(a.Namespace ?? "", key.Namespace);
        if (c == 0) c = string.CompareOrdinal(a.Kind, key.Kind);
        if (c == 0) c = string.CompareOrdinal(a.Type.Group, key.Group);
        if (c == 0) c = string.CompareOrdinal(a.Name, key.Name);
        return c;
    }

    internal sealed record Key(string Namespace, string Kind, string Group, string Name);

    public sealed record Page(ObjectRecord[] Roots, string? Continue, long? Remaining);
}
