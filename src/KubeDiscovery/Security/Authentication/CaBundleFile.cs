using System.Security.Cryptography;
using KubeDiscovery.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeDiscovery.Security.Authentication;

/// <summary>
/// A CA bundle given by a flag (<c>--client-ca-file</c>, <c>--requestheader-client-ca-file</c>), re-read when
/// the file changes — checked at most every 30 seconds — as Kubernetes' servers re-read theirs, so a CA
/// rotated on disk needs no restart. A rewrite that cannot be read keeps the last good bundle.
/// </summary>
internal sealed class CaBundleFile
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(30);

    private readonly string _path;
    private readonly string _flag;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private CertificateAuthority _current;
    private DateTime _loadedStamp;
    private DateTimeOffset _nextCheck;

    /// <exception cref="ServerStartupException">The file cannot be read as a PEM bundle.</exception>
    public CaBundleFile(string path, string flag, TimeProvider time)
    {
        _path = path;
        _flag = flag;
        _time = time;
        _loadedStamp = File.GetLastWriteTimeUtc(path);
        _current = Load() ?? throw new ServerStartupException($"{flag} {path}: {_lastError}");
        _nextCheck = time.GetUtcNow() + CheckInterval;
    }

    private string _lastError = "";

    /// <summary>Where reload failures are logged; set once the server's logging exists.</summary>
    public ILogger? Logger { get; set; }

    public CertificateAuthority Current
    {
        get
        {
            var now = _time.GetUtcNow();
            if (now < _nextCheck) return _current;
            lock (_lock)
            {
                if (now < _nextCheck) return _current;
                _nextCheck = now + CheckInterval;
                var stamp = File.GetLastWriteTimeUtc(_path);
                if (stamp == _loadedStamp) return _current;
                if (Load() is { } reloaded)
                {
                    _current = reloaded;
                    _loadedStamp = stamp;
                }
                else if (Logger is not null)
                {
                    SecurityLog.CaFileReloadFailed(Logger, _flag, _path, _lastError);
                }
                return _current;
            }
        }
    }

    private CertificateAuthority? Load()
    {
        try
        {
            return CertificateAuthority.FromPem(File.ReadAllText(_path), _time);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            _lastError = e.Message;
            return null;
        }
    }
}
