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

/// <summary>The best hits of a search, how many matched in all (up to <see cref="NameSearch.MaxMatches"/>), and whether more did.</summary>
public sealed record SearchResults(List<SearchHit> Hits, bool TooBroad, int Matched)
{
    public void Deconstruct(out List<SearchHit> hits, out bool tooBroad) => (hits, tooBroad) = (Hits, TooBroad);
}

/// <summary>
/// Finding objects by name, kind and namespace: prefix and substring, ranked (exact name, then name
/// prefix, then anywhere in the name, then kind or namespace; ties by kind, namespace, name). Every object
/// is one line <c>kind/namespace/name</c>, lower case, in one byte array, so a query is one vectorised
/// scan of it — a million objects' names are ~40 MB scanned in a few milliseconds — instead of a walk of
/// the index. Changes since the corpus was built come from the index's change log: a changed or deleted
/// object's line is marked dead and its new version goes into a small second corpus, so a search costs
/// its scan, not a rebuild; the whole corpus is built again only when the log no longer covers what it
/// missed, or the second corpus outgrows a tenth of the first — at most once per <see cref="RebuildInterval"/>
/// (until then a search may miss the newest objects).
/// </summary>
public sealed class NameSearch(ClusterIndex index, TimeProvider time)
{
    /// <summary>At most this many matches are ranked; a query matching more is too broad, and says so.</summary>
    public const int MaxMatches = 50_000;

    public static readonly TimeSpan RebuildInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _rebuild = new();
    private volatile View? _view;

    /// <summary>The best <paramref name="limit"/> matches of <paramref name="query"/> that <paramref name="visible"/> lets through.</summary>
    /// <param name="query">Two characters or more; matched case-insensitively against <c>kind/namespace/name</c>.</param>
    /// <returns>The hits, how many matched, and whether more than <see cref="MaxMatches"/> did (the ranking then covers the first ones found).</returns>
    public SearchResults Find(string query, int limit, Func<ObjectRecord, bool>? visible = null)
    {
        var needle = Encoding.UTF8.GetBytes(query.Trim().ToLowerInvariant());
        var view = Current();
        List<SearchHit> hits = [];
        var tooBroad = Scan(view.Base, needle, view.Dead, visible, hits) || Scan(view.Delta, needle, null, visible, hits);
        hits.Sort((a, b) => a.Rank != b.Rank ? a.Rank.CompareTo(b.Rank)
            : string.CompareOrdinal(a.Record.Kind, b.Record.Kind) is var k and not 0 ? k
            : ObjectOrder.CompareByNamespaceAndName(a.Record, b.Record));
        var matched = hits.Count;
        if (hits.Count > limit) hits.RemoveRange(limit, hits.Count - limit);
        return new SearchResults(hits, tooBroad, matched);
    }

    /// <summary>
    /// Every object <paramref name="query"/> matches, unranked and uncapped, for what must be decided before
    /// the cap (which kinds and namespaces the user may read). Costs the scan.
    /// </summary>
    public void Visit(string query, Action<ObjectRecord> each) => Find(query, 0, record =>
    {
        each(record);
        return false;
    });

    /// <returns>True when <see cref="MaxMatches"/> was reached.</returns>
    private static bool Scan(Corpus corpus, byte[] needle, IReadOnlySet<ObjectRecord>? dead, Func<ObjectRecord, bool>? visible, List<SearchHit> hits)
    {
        var text = corpus.Text.AsSpan();
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
            if (dead is not null && dead.Contains(record)) continue;
            if (visible is not null && !visible(record)) continue;
            hits.Add(new SearchHit(record, Rank(corpus, line, offset, needle.Length)));
            if (hits.Count == MaxMatches) return true;
        }
        return false;
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

    private View Current()
    {
        var view = _view;
        if (view is not null && view.Generation == index.Generation) return view;
        lock (_rebuild)
        {
            view = _view;
            var generation = index.Generation;
            if (view is not null && view.Generation == generation) return view;
            if (view is not null && TryCatchUp(view, generation) is { } caughtUp) return _view = caughtUp;
            if (view is not null && time.GetUtcNow() - view.Built < RebuildInterval) return view;
            var records = index.All().ToArray();
            return _view = new View(generation, time.GetUtcNow(), Build(records), Build([]),
                new HashSet<ObjectRecord>(ReferenceEqualityComparer.Instance), new HashSet<ObjectRecord>(ReferenceEqualityComparer.Instance));
        }
    }

    // The changes since the view, applied as dead lines and a rebuilt small corpus; null when a full build is due.
    private View? TryCatchUp(View view, long generation)
    {
        List<(ObjectRecord? Before, ObjectRecord? After)> changes = [];
        if (!index.Changes.TryRead(view.Generation, generation, changes)) return null;
        var dead = new HashSet<ObjectRecord>(view.Dead, ReferenceEqualityComparer.Instance);
        var added = new HashSet<ObjectRecord>(view.Added, ReferenceEqualityComparer.Instance);
        foreach (var (before, after) in changes)
        {
            if (before is not null && !added.Remove(before)) dead.Add(before);
            if (after is not null) added.Add(after);
        }
        if (added.Count > Math.Max(1_000, view.Base.Records.Length / 10)) return null;
        return new View(generation, view.Built, view.Base, Build([.. added]), dead, added);
    }

    private static Corpus Build(ObjectRecord[] records)
    {
        var starts = new int[records.Length];
        var nameStarts = new int[records.Length];
        var text = new MemoryStream(records.Length * 40);
        for (var i = 0; i < records.Length; i++)
        {
            var r = records[i];
            starts[i] = (int)text.Position;
            text.Write(Encoding.UTF8.GetBytes($"{r.Kind}/{r.Namespace}/".ToLowerInvariant()));
            nameStarts[i] = (int)text.Position;
            text.Write(Encoding.UTF8.GetBytes(r.Name.ToLowerInvariant()));
            text.WriteByte((byte)'\n');
        }
        return new Corpus(text.ToArray(), starts, nameStarts, records);
    }

    /// <summary>What a search scans: the corpus built last, its lines that changed since (dead), and the objects written since (a small corpus of their own).</summary>
    private sealed record View(long Generation, DateTimeOffset Built, Corpus Base, Corpus Delta, IReadOnlySet<ObjectRecord> Dead, IReadOnlySet<ObjectRecord> Added);

    private sealed record Corpus(byte[] Text, int[] Starts, int[] NameStarts, ObjectRecord[] Records);
}
