using Microsoft.AspNetCore.Http;

namespace KubeDiscovery.TestDoubles;

/// <summary>Failures the fake server injects on request: error statuses, dropped and stalled watches, stalled lists.</summary>
public sealed class FakeFaults
{
    private readonly Lock _lock = new();
    private readonly HashSet<HttpContext> _openWatches = [];
    private readonly HashSet<string> _forbidden = [];
    private int _failuresLeft;
    private int _failureStatus = 500;
    private int _dropsLeft;
    private int _dropAfterEvents;

    /// <summary>While true, LIST requests of whole resources wait (the server looks slow to sync).</summary>
    public bool StallLists { get; set; }

    /// <summary>While true, open watches send nothing, bookmarks included (a server that fell silent).</summary>
    public bool StallWatches { get; set; }

    /// <summary>Makes LIST and WATCH of <paramref name="plural"/> answer 403, as RBAC does for a kind the client may not read.</summary>
    public void Forbid(string plural)
    {
        lock (_lock) _forbidden.Add(plural);
    }

    /// <summary>Undoes <see cref="Forbid"/>.</summary>
    public void Permit(string plural)
    {
        lock (_lock) _forbidden.Remove(plural);
    }

    internal bool IsForbidden(string plural)
    {
        lock (_lock) return _forbidden.Contains(plural);
    }

    /// <summary>
    /// While true the server is down: every request's connection is aborted unanswered. Setting it cuts
    /// the open watches too.
    /// </summary>
    public bool Down
    {
        get => _down;
        set
        {
            _down = value;
            if (value) DropOpenWatches();
        }
    }

    private volatile bool _down;

    /// <summary>Also fail discovery requests with <see cref="FailRequests"/>, not only LIST and WATCH.</summary>
    public bool FailDiscoveryToo { get; set; }

    /// <summary>The next <paramref name="count"/> LIST/WATCH requests answer <paramref name="statusCode"/> with a Status body.</summary>
    public void FailRequests(int count, int statusCode = StatusCodes.Status500InternalServerError)
    {
        lock (_lock)
        {
            _failuresLeft = count;
            _failureStatus = statusCode;
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> watches are cut (connection aborted, no closing chunk) after
    /// sending <paramref name="afterEvents"/> events.
    /// </summary>
    public void DropWatches(int count, int afterEvents = 0)
    {
        lock (_lock)
        {
            _dropsLeft = count;
            _dropAfterEvents = afterEvents;
        }
    }

    /// <summary>Cuts every watch open right now.</summary>
    public int DropOpenWatches()
    {
        HttpContext[] open;
        lock (_lock) open = [.. _openWatches];
        foreach (var context in open)
        {
            try
            {
                context.Abort();
            }
            catch (Exception e) when (e is ObjectDisposedException or NullReferenceException or InvalidOperationException)
            {
                // The request finished meanwhile: Kestrel recycles a finished request's context, and aborting
                // a recycled one throws one of these.
            }
        }
        return open.Length;
    }

    public int FailuresLeft
    {
        get { lock (_lock) return _failuresLeft; }
    }

    public int DropsLeft
    {
        get { lock (_lock) return _dropsLeft; }
    }

    internal bool TakeFailure(out int statusCode)
    {
        lock (_lock)
        {
            statusCode = _failureStatus;
            if (_failuresLeft <= 0) return false;
            _failuresLeft--;
            return true;
        }
    }

    /// <summary>How many events the watch being opened may send before it is cut; null when it is not cut.</summary>
    internal int? TakeDrop()
    {
        lock (_lock)
        {
            if (_dropsLeft <= 0) return null;
            _dropsLeft--;
            return _dropAfterEvents;
        }
    }

    internal void WatchOpened(HttpContext context)
    {
        lock (_lock) _openWatches.Add(context);
    }

    internal void WatchClosed(HttpContext context)
    {
        lock (_lock) _openWatches.Remove(context);
    }
}
