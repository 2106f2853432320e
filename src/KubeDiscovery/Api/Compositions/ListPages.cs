using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Api.Compositions;

/// <summary>
/// Paged lists (<c>limit</c>/<c>continue</c>, kubectl's <c>--chunk-size</c>) of compositions. The first page
/// keeps the list's roots, so every later page comes from the same membership — no item is skipped or
/// repeated because the cluster changed between pages — while each tree is built when its page is
/// asked for. Kept <see cref="Lifetime"/>, at most <see cref="MaxLists"/> at once (the oldest goes first);
/// a token past either is answered <c>410 Expired</c>, as kube-apiserver answers a compacted one.
/// </summary>
internal sealed class ListPages(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    public const int MaxLists = 32;

    private readonly ConcurrentDictionary<string, Kept> _lists = new(StringComparer.Ordinal);

    /// <summary>Keeps <paramref name="roots"/> for the pages after the first; returns the continue token for <paramref name="next"/>.</summary>
    public string Keep(string owner, string query, ObjectRecord[] roots, int next)
    {
        Evict();
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        _lists[id] = new Kept(owner, query, roots, time.GetUtcNow() + Lifetime);
        return Token(id, next);
    }

    public static string Token(string id, int next) => $"{id}.{next}";

    /// <summary>The roots kept for <paramref name="token"/> and where the next page starts.</summary>
    public Lookup Find(string token, string owner, string query)
    {
        var dot = token.IndexOf('.');
        if (dot <= 0 || !int.TryParse(token.AsSpan(dot + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var next))
        {
            return new Lookup(LookupResult.Malformed, null, 0, "");
        }
        var id = token[..dot];
        if (!_lists.TryGetValue(id, out var kept) || kept.Expires <= time.GetUtcNow()) return new Lookup(LookupResult.Expired, null, 0, id);
        // A token belongs to the user and the query that made it.
        if (kept.Owner != owner || kept.Query != query || next > kept.Roots.Length) return new Lookup(LookupResult.Malformed, null, 0, id);
        return new Lookup(LookupResult.Found, kept.Roots, next, id);
    }

    /// <summary>
    /// One page of a list, from the <c>limit</c> and <c>continue</c> query parameters: the roots to answer,
    /// and the token and count of what remains. Null when it answered an error itself (400, 410).
    /// </summary>
    /// <param name="list">The whole list, in answer order; asked only on the first page.</param>
    public async Task<Page?> TakeAsync(HttpContext context, string owner, string query, Func<ObjectRecord[]> list)
    {
        var q = context.Request.Query;
        var limit = 0;
        if (q["limit"].ToString() is { Length: > 0 } text && !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit))
        {
            await StatusErrors.BadRequest(context, $"limit must be a non-negative integer, not \"{text}\"");
            return null;
        }
        ObjectRecord[] roots;
        var start = 0;
        string? id = null;
        if (q["continue"].ToString() is { Length: > 0 } token)
        {
            var found = Find(token, owner, query);
            switch (found.Result)
            {
                case LookupResult.Expired:
                    await StatusErrors.Write(context, new KubeStatus
                    {
                        Code = 410,
                        Reason = "Expired",
                        Message = "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.",
                    });
                    return null;
                case LookupResult.Malformed:
                    await StatusErrors.BadRequest(context, "the continue token is not one this server gave for this list: repeat the list without it");
                    return null;
            }
            (roots, start, id) = (found.Roots!, found.Next, found.Id);
        }
        else
        {
            roots = list();
        }
        var end = limit > 0 ? Math.Min(roots.Length, start + limit) : roots.Length;
        if (end == roots.Length) return new Page(roots[start..end], null, null);
        return new Page(roots[start..end], id is null ? Keep(owner, query, roots, end) : Token(id, end), roots.Length - end);
    }

    private void Evict()
    {
        var now = time.GetUtcNow();
        foreach (var (id, kept) in _lists)
        {
            if (kept.Expires <= now) _lists.TryRemove(id, out _);
        }
        while (_lists.Count >= MaxLists)
        {
            var oldest = _lists.MinBy(p => p.Value.Expires).Key;
            _lists.TryRemove(oldest, out _);
        }
    }

    private sealed record Kept(string Owner, string Query, ObjectRecord[] Roots, DateTimeOffset Expires);

    public enum LookupResult
    {
        Found,
        Expired,
        Malformed,
    }

    public sealed record Lookup(LookupResult Result, ObjectRecord[]? Roots, int Next, string Id);

    public sealed record Page(ObjectRecord[] Roots, string? Continue, long? Remaining);
}
