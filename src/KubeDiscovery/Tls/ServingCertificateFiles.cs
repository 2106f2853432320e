using System.Security.Cryptography.X509Certificates;
using KubeDiscovery.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeDiscovery.Tls;

/// <summary>
/// The serving certificate from <c>--tls-cert-file</c>/<c>--tls-private-key-file</c>, re-read when the
/// files change (cert-manager renews the mounted Secret in place), checked at most every 30 seconds
/// during handshakes. A renewal that cannot be read is logged and the last good certificate kept.
/// </summary>
internal sealed class ServingCertificateFiles
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(30);

    private readonly string _certFile;
    private readonly string _keyFile;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private X509Certificate2 _current;
    private (DateTime Cert, DateTime Key) _loadedStamps;
    private DateTimeOffset _nextCheck;

    public ServingCertificateFiles(string certFile, string keyFile, TimeProvider time, ILogger logger)
    {
        _certFile = certFile;
        _keyFile = keyFile;
        _time = time;
        _logger = logger;
        _loadedStamps = Stamps();
        _current = ServingCertificates.Load(certFile, keyFile);
        _nextCheck = time.GetUtcNow() + CheckInterval;
    }

    public X509Certificate2 Current
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
                if (stamps == _loadedStamps) return _current;
                try
                {
                    _current = ServingCertificates.Load(_certFile, _keyFile);
                    _loadedStamps = stamps;
                    ServerLog.CertificateReloaded(_logger, _certFile, _current.NotAfter.ToUniversalTime());
                }
                catch (ServerStartupException e)
                {
                    ServerLog.CertificateReloadFailed(_logger, e.Message);
                }
                return _current;
            }
        }
    }

    private (DateTime, DateTime) Stamps() => (File.GetLastWriteTimeUtc(_certFile), File.GetLastWriteTimeUtc(_keyFile));
}
