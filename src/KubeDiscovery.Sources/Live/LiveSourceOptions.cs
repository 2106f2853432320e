namespace KubeDiscovery.Sources.Live;

/// <summary>How the live source follows a cluster. Defaults suit a production cluster; tests shorten the timings.</summary>
public sealed record LiveSourceOptions
{
    /// <summary>Kubeconfig file; null resolves $KUBECONFIG, then ~/.kube/config, then the in-cluster service account.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>Kubeconfig context to use instead of the current one.</summary>
    public string? Context { get; init; }

    /// <summary>Follow only these resources (plural or plural.group); empty follows everything listable.</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];

    /// <summary>Never follow these (plural or plural.group). Null means <see cref="ResourceFilter.DefaultExclusions"/>.</summary>
    public IReadOnlyList<string>? ExcludeResources { get; init; }

    /// <summary>LIST page size (<c>limit</c>), so a big resource never arrives as one huge response.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Server-side watch timeouts are drawn between this and twice it, so watches do not reconnect in lockstep.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>First delay after a failure; it doubles, with jitter, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(800);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The delay before retry number <paramref name="failures"/>: exponential from <see cref="InitialBackoff"/>,
    /// capped at <see cref="MaxBackoff"/>, with ±20% jitter so watches do not retry in step.
    /// </summary>
    public TimeSpan Backoff(int failures)
    {
        var exponent = Math.Min(Math.Max(failures, 1) - 1, 16);
        var delay = Math.Min(InitialBackoff.TotalMilliseconds * Math.Pow(2, exponent), MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(delay * (0.8 + (0.4 * Random.Shared.NextDouble())));
    }

    /// <summary>Discovery is re-read this often even when no CRD or APIService changed.</summary>
    public TimeSpan RediscoveryInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long start-up waits for the cluster's first discovery answer before giving up.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(8);
}
