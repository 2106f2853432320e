using System.Text;
using KubeDiscovery.Graph.Index;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Search;

/// <summary>How well an object's names matched a query: the lower, the better.</summary>
public enum MatchRank
{
    ExactName,
    NamePrefix,
    NameSubstring,
    KindOrNamespace,
}

/// <summary>One object a search found, and how well it matched.</summary>
public readonly record struct SearchHit(ObjectRecord Record, MatchRank Rank);

/// <summary>
/// Finding objects by name, kind and namespace: prefix and substring, ranked (exact name, then name
/// prefix, then anywhere in the name, then kind or namespace; ties by kind, namespace, name). Every object
/// is one line <c>kind/namespace/name</c>, lower case, in one byte array, so a query is one vectorised
/// scan of it — a million objects' names are ~40 MB scanned in a few milliseconds — instead of a walk of
/// the index. The corpus is rebuilt when the index has changed, at most once per
/// <see cref="RebuildInterval"/>, so a search may miss the last second's objects.
/// </summary>
public sealed class NameSearch(ClusterIndex index, TimeProvider time)
{
    /// <summary>At most this many matches are ranked; a query matching more is too broad, and says so.</summary>
    public const int MaxMatches = 50_000;

    public static readonly TimeSpan RebuildInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _rebuild = new();
    private volatile Corpus? _corpus;

    /// <summary>The best <paramref name="limit"/> matches of <paramref name="query"/> that <paramref name="visible"/> lets through.</summary>
    /// <param name="query">Two characters or more; matched case-insensitively against <c>kind/namespace/name</c>.</param>
    /// <returns>The hits, and whether more than <see cref="MaxMatches"/> matched (the ranking then covers the first ones found).</returns>
    public (List<SearchHit> Hits, bool TooBroad) Find(string query, int limit, Func<ObjectRecord, bool>? visible = null)
    {
        var needle = Encoding.UTF8.GetBytes(query.Trim().ToLowerInvariant());
        var corpus = Current();
        var text = corpus.Text.AsSpan();
        List<SearchHit> hits = [];
        var tooBroad = false;
        var at = 0;
        while (at < text.Length)
        {
            var found = text[at..].IndexOf(needle);
            if (found < 0) break;
            var offset = at + found;
            var line = LineOf(corpus.Starts, offset);
            var record = corpus.Records[line];
            // The next search starts at the next line: an object is found once, at its first match.
            at = line + 1 < corpus.Starts.Length ? corpus.Starts[line + 1] : text.Length;
            if (visible is not null && !visible(record)) continue;
            hits.Add(new SearchHit(record, Rank(corpus, line, offset, needle.Length)));
            if (hits.Count == MaxMatches)
            {
                tooBroad = true;
                break;
            }
        }
        hits.Sort((a, b) => a.Rank != b.Rank ? a.Rank.CompareTo(b.Rank)
            : string.CompareOrdinal(a.Record.Kind, b.Record.Kind) is var k and not 0 ? k
            : ObjectOrder.CompareByNamespaceAndName(a.Record, b.Record));
        if (hits.Count > limit) hits.RemoveRange(limit, hits.Count - limit);
        return (hits, tooBroad);
    }

    private static MatchRank Rank(Corpus corpus, int line, int offset, int length)
    {
        var nameStart = corpus.NameStarts[line];
        var end = line + 1 < corpus.Starts.Length ? corpus.Starts[line + 1] - 1 : corpus.Text.Length - 1; // before the newline
        // A match that starts before the name may still reach into it ("shop/front"): ranked by where it starts.
        if (offset < nameStart) return MatchRank.KindOrNamespace;
        if (offset == nameStart) return offset + length == end ? MatchRank.ExactName : MatchRank.NamePrefix;
        return MatchRank.NameSubstring;
    }

    private static int LineOf(int[] starts, int offset)
    {
        var i = Array.BinarySearch(starts, offset);
        return i >= 0 ? i : ~i - 1;
    }

    private Corpus Current()
    {
        var corpus = _corpus;
        var generation = index.Generation;
        if (corpus is not null && (corpus.Generation == generation || time.GetUtcNow() - corpus.Built < RebuildInterval)) return corpus;
        lock (_rebuild)
        {
            corpus = _corpus;
            if (corpus is not null && (corpus.Generation == index.Generation || time.GetUtcNow() - corpus.Built < RebuildInterval)) return corpus;
            _corpus = corpus = Build(index, time.GetUtcNow());
            return corpus;
        }
    }

    private static Corpus Build(ClusterIndex index, DateTimeOffset now)
    {
        var generation = index.Generation;
        var records = index.All().ToArray();
        var starts = new int[records.Length];
        var nameStarts = new int[records.Length];
        var text = new MemoryStream(records.Length * 40);
        Span<byte> buffer = stackalloc byte[512];
        for (var i = 0; i < records.Length; i++)
        {
            var r = records[i];
            starts[i] = (int)text.Position;
            var prefix = $"{r.Kind}/{r.Namespace}/".ToLowerInvariant();
            text.Write(Encoding.UTF8.GetBytes(prefix));
            nameStarts[i] = (int)text.Position;
            var name = r.Name.ToLowerInvariant();
            var n = Encoding.UTF8.GetByteCount(name);
            if (n <= buffer.Length)
            {
                Encoding.UTF8.GetBytes(name, buffer);
                text.Write(buffer[..n]);
            }
            else
            {
                text.Write(Encoding.UTF8.GetBytes(name));
            }
            text.WriteByte((byte)'\n');
        }
        return new Corpus(generation, now, text.ToArray(), starts, nameStarts, records);
    }

    private sealed record Corpus(long Generation, DateTimeOffset Built, byte[] Text, int[] Starts, int[] NameStarts, ObjectRecord[] Records);
}
