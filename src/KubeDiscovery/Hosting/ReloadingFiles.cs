namespace KubeDiscovery.Hosting;

/// <summary>
/// A value loaded from files and loaded again when any of them changes (cert-manager renewing a mounted
/// Secret, a CA rotated on disk), checked at most every 30 seconds, when the value is asked for. A change
/// that cannot be loaded — a half-written file — is reported and the last good value kept.
/// </summary>
internal sealed class ReloadingFiles<T> where T : class
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(30);

    private readonly string[] _paths;
    private readonly Func<T> _load;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private T _current;
    private DateTime[] _stamps;
    private DateTimeOffset _nextCheck;

    /// <param name="load">Reads the files; throws <see cref="ServerStartupException"/> when they cannot be used.</param>
    /// <exception cref="ServerStartupException">The files cannot be loaded now.</exception>
    public ReloadingFiles(string[] paths, Func<T> load, TimeProvider time)
    {
        _paths = paths;
        _load = load;
        _time = time;
        _stamps = Stamps();
        _current = load();
        _nextCheck = time.GetUtcNow() + CheckInterval;
    }

    /// <summary>Called with the new value after a reload.</summary>
    public Action<T>? Reloaded { get; set; }

    /// <summary>Called with the error when changed files could not be loaded.</summary>
    public Action<string>? ReloadFailed { get; set; }

    public T Current
    {
        get
        {
            var now = _time.GetUtcNow();
            if (now < _nextCheck) return _current;
            lock (_lock)
            {
                if (now < _nextCheck) return _current;
                _nextCheck = now + CheckInterval;
                var stamps = Stamps();
                if (stamps.AsSpan().SequenceEqual(_stamps)) return _current;
                try
                {
                    _current = _load();
                    _stamps = stamps;
                    Reloaded?.Invoke(_current);
                }
                catch (ServerStartupException e)
                {
                    ReloadFailed?.Invoke(e.Message);
                }
                return _current;
            }
        }
    }

    private DateTime[] Stamps() => Array.ConvertAll(_paths, File.GetLastWriteTimeUtc);
}
