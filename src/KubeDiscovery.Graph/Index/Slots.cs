namespace KubeDiscovery.Graph.Index;

/// <summary>
/// A list kept in one field without a wrapper: null for none, the item itself for one (most lists), an
/// array whose unused tail is null for more. Readers take the field's value without locks and read up to
/// the first null; the single writer fills a null slot in place (a reader sees the item or not, both
/// correct) and copies to grow or to remove, so no reader ever sees an item twice or misses one it held.
/// Items are never arrays.
/// </summary>
internal static class Slots<T> where T : class
{
    public static object Add(object? current, T item)
    {
        switch (current)
        {
            case null:
                return item;
            case T[] items:
                var count = Length(items);
                if (count < items.Length)
                {
                    Volatile.Write(ref items[count], item);
                    return items;
                }
                var grown = new T[items.Length + (items.Length >> 1)];
                Array.Copy(items, grown, count);
                grown[count] = item;
                return grown;
            default:
                return new[] { (T)current, item, null!, null! };
        }
    }

    /// <returns>The new value: null when the list is empty.</returns>
    public static object? Remove(object? current, T item)
    {
        switch (current)
        {
            case null:
                return null;
            case T[] items:
                var count = Length(items);
                var at = Array.IndexOf(items, item, 0, count);
                if (at < 0) return items;
                if (count == 2) return items[1 - at];
                var next = new T[Math.Max(count - 1 + Math.Min(count / 4, 64), 4)];
                Array.Copy(items, next, at);
                Array.Copy(items, at + 1, next, at, count - at - 1);
                return next;
            default:
                return ReferenceEquals(current, item) ? null : current;
        }
    }

    public static ReadOnlySpan<T> Read(object? current) => current switch
    {
        null => [],
        T[] items => items.AsSpan(0, Length(items)),
        _ => new[] { (T)current },
    };

    public static int Count(object? current) => current switch
    {
        null => 0,
        T[] items => Length(items),
        _ => 1,
    };

    // Items fill the array from the front, so the first null (found by halving) ends them.
    private static int Length(T[] items)
    {
        int lo = 0, hi = items.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Volatile.Read(ref items[mid]) is null) hi = mid; else lo = mid + 1;
        }
        return lo;
    }
}
