using System.Collections.Concurrent;

namespace KubeDiscovery.Graph.Events;

/// <summary>One Warning Event about an object: its reason and message, how often it was seen, and when last.</summary>
public sealed record Warning(string EventUid, string Reason, string Message, int Count, DateTimeOffset? LastSeen);

/// <summary>
/// The latest Warning Events per object, for the cause of not-ready objects only: at most
/// <see cref="PerObject"/> per object and <see cref="MaxObjects"/> objects, dropped when the object is
/// deleted or kube-apiserver expires the Event. Never recorded in history, never indexed as objects.
/// </summary>
public sealed class WarningLog
{
    public const int PerObject = 5;
    public const int MaxObjects = 20_000;

    private readonly ConcurrentDictionary<string, Warning[]> _byObject = new(StringComparer.Ordinal);
    // Event uid → the object it is about, to drop an expired Event.
    private readonly ConcurrentDictionary<string, string> _objectOfEvent = new(StringComparer.Ordinal);
    private readonly Lock _write = new();

    // The uids of objects deleted lately: an Event about one that arrives after it (the Events watch and
    // the object's are separate streams) is not kept for an object that is gone. Uids are never reused.
    private const int Tombstones = 4_096;
    private readonly HashSet<string> _gone = new(StringComparer.Ordinal);
    private readonly Queue<string> _goneOrder = new();

    /// <summary>Objects with warnings kept.</summary>
    public int Count => _byObject.Count;

    /// <summary>The object's warnings, newest first; empty when none.</summary>
    public IReadOnlyList<Warning> Of(string objectUid) => _byObject.TryGetValue(objectUid, out var list) ? list : [];

    /// <summary>Keeps an Event (added or modified): replaces the one with its uid, then keeps the newest.</summary>
    public void Record(string objectUid, Warning warning)
    {
        lock (_write)
        {
            if (_gone.Contains(objectUid)) return;
            if (_objectOfEvent.TryGetValue(warning.EventUid, out var before) && before != objectUid) Remove(before, warning.EventUid);
            var current = _byObject.GetValueOrDefault(objectUid) ?? [];
            var next = current.Where(w => w.EventUid != warning.EventUid).Append(warning)
                .OrderByDescending(w => w.LastSeen ?? DateTimeOffset.MinValue).Take(PerObject).ToArray();
            foreach (var dropped in current.Where(w => !next.Contains(w) && w.EventUid != warning.EventUid)) _objectOfEvent.TryRemove(dropped.EventUid, out _);
            if (!next.Contains(warning)) return; // older than the five kept
            if (!_byObject.ContainsKey(objectUid) && _byObject.Count >= MaxObjects) EvictOldest();
            _byObject[objectUid] = next;
            _objectOfEvent[warning.EventUid] = objectUid;
        }
    }

    /// <summary>An Event kube-apiserver deleted (its one-hour TTL).</summary>
    public void Expire(string eventUid)
    {
        lock (_write)
        {
            if (_objectOfEvent.TryRemove(eventUid, out var objectUid)) Remove(objectUid, eventUid);
        }
    }

    /// <summary>The object was deleted: its warnings go with it, and later ones about it are not kept.</summary>
    public void Forget(string objectUid)
    {
        lock (_write)
        {
            if (_gone.Add(objectUid))
            {
                _goneOrder.Enqueue(objectUid);
                if (_goneOrder.Count > Tombstones) _gone.Remove(_goneOrder.Dequeue());
            }
            if (!_byObject.TryRemove(objectUid, out var list)) return;
            foreach (var w in list) _objectOfEvent.TryRemove(w.EventUid, out _);
        }
    }

    /// <summary>After a fresh LIST: only these Events stay.</summary>
    public void Retain(IReadOnlySet<string> eventUids)
    {
        lock (_write)
        {
            foreach (var (eventUid, objectUid) in _objectOfEvent.ToArray())
            {
                if (!eventUids.Contains(eventUid)) Remove(objectUid, eventUid);
            }
        }
    }

    private void Remove(string objectUid, string eventUid)
    {
        _objectOfEvent.TryRemove(eventUid, out _);
        if (!_byObject.TryGetValue(objectUid, out var list)) return;
        var next = list.Where(w => w.EventUid != eventUid).ToArray();
        if (next.Length == 0) _byObject.TryRemove(objectUid, out _);
        else _byObject[objectUid] = next;
    }

    // Full: the object whose newest warning is oldest makes room (a burst elsewhere matters more now).
    private void EvictOldest()
    {
        var oldest = _byObject.MinBy(p => p.Value[0].LastSeen ?? DateTimeOffset.MinValue);
        if (oldest.Key is not null && _byObject.TryRemove(oldest.Key, out var list))
        {
            foreach (var w in list) _objectOfEvent.TryRemove(w.EventUid, out _);
        }
    }
}

/// <summary>Reads a core/v1 or events.k8s.io/v1 Event as the <see cref="WarningLog"/> keeps it.</summary>
public static class WarningEvents
{
    /// <summary>The Event's uid, the uid of the object it is about, and the warning; false for a Normal Event or one that names no object uid.</summary>
    public static bool TryRead(System.Text.Json.JsonElement e, out string eventUid, out string objectUid, out Warning warning)
    {
        (eventUid, objectUid, warning) = ("", "", null!);
        if (e.ValueKind != System.Text.Json.JsonValueKind.Object || Str(e, "type") != "Warning") return false;
        var metadata = Obj(e, "metadata");
        var about = Obj(e, "involvedObject") is { ValueKind: System.Text.Json.JsonValueKind.Object } involved ? involved : Obj(e, "regarding");
        if (Str(metadata, "uid") is not { Length: > 0 } uid || Str(about, "uid") is not { Length: > 0 } target) return false;
        var count = Obj(e, "series") is { ValueKind: System.Text.Json.JsonValueKind.Object } series && series.TryGetProperty("count", out var sc) && sc.TryGetInt32(out var n) ? n
            : e.TryGetProperty("count", out var c) && c.ValueKind == System.Text.Json.JsonValueKind.Number && c.TryGetInt32(out var m) ? m : 1;
        var seen = Time(Str(Obj(e, "series"), "lastObservedTime")) ?? Time(Str(e, "lastTimestamp")) ?? Time(Str(e, "eventTime")) ?? Time(Str(metadata, "creationTimestamp"));
        var message = Str(e, "message") ?? Str(e, "note") ?? "";
        (eventUid, objectUid) = (uid, target);
        warning = new Warning(uid, Str(e, "reason") ?? "Warning", message.Length > 300 ? message[..299] + "…" : message, count, seen);
        return true;
    }

    private static System.Text.Json.JsonElement Obj(System.Text.Json.JsonElement e, string name) =>
        e.ValueKind == System.Text.Json.JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == System.Text.Json.JsonValueKind.Object ? v : default;

    private static string? Str(System.Text.Json.JsonElement e, string name) =>
        e.ValueKind == System.Text.Json.JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == System.Text.Json.JsonValueKind.String ? v.GetString() : null;

    private static DateTimeOffset? Time(string? text) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t.ToUniversalTime() : null;
}
