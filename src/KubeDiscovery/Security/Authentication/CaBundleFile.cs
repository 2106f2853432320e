using System.Security.Cryptography;
using KubeDiscovery.Hosting;

namespace KubeDiscovery.Security.Authentication;

/// <summary>
/// A CA bundle given by a flag (<c>--client-ca-file</c>, <c>--requestheader-client-ca-file</c>), re-read when
/// the file changes, as Kubernetes' servers re-read theirs: a CA rotated on disk needs no restart.
/// </summary>
internal sealed class CaBundleFile
{
    private readonly ReloadingFiles<CertificateAuthority> _file;

    /// <exception cref="ServerStartupException">The file cannot be read as a PEM bundle.</exception>
    public CaBundleFile(string path, string flag, TimeProvider time)
    {
        _file = new ReloadingFiles<CertificateAuthority>([path], () =>
        {
            try
            {
                return CertificateAuthority.FromPem(File.ReadAllText(path), time);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
            {
                throw new ServerStartupException($"{flag} {path}: {e.Message}", e);
            }
        }, time);
    }

    /// <summary>Where reload failures are logged; set once the server's logging exists.</summary>
    public ILogger? Logger
    {
        set => _file.ReloadFailed = value is null ? null : error => SecurityLog.CaFileReloadFailed(value, error);
    }

    public CertificateAuthority Current => _file.Current;
}
