namespace KubeDiscovery.Sources.Live;

/// <summary>How the live source follows a cluster. Defaults suit a production cluster; tests shorten the timings.</summary>
public sealed record LiveSourceOptions
{
    /// <summary>Follow only these resources (plural or plural.group); empty follows everything listable.</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];

    /// <summary>Never follow these (plural or plural.group). Null means <see cref="ResourceFilter.DefaultExclusions"/>.</summary>
    public IReadOnlyList<string>? ExcludeResources { get; init; }

    /// <summary>LIST page size (<c>limit</c>), so a big resource never arrives as one huge response.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Server-side watch timeouts are drawn between this and twice it, so watches do not reconnect in lockstep.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long to wait after the n-th failure in a row of a LIST or WATCH.</summary>
    public RetrySchedule Backoff { get; init; } = RetrySchedule.Watches;

    /// <summary>Discovery is re-read this often even when no CRD or APIService changed.</summary>
    public TimeSpan RediscoveryInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long start-up waits for the cluster's first discovery answer before giving up.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(8);
}
