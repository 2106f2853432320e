using System.Globalization;

namespace KubeDiscovery.History.Tests;

/// <summary>Timestamps as kube-apiserver writes them (managedFields' <c>time</c>), read from the test's clock.</summary>
internal static class Stamps
{
    public static string Stamp(this TimeProvider time) => time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The stamp now, then the clock moves on a day, so the next stamp is later.</summary>
    public static string NextStamp(this Microsoft.Extensions.Time.Testing.FakeTimeProvider time)
    {
        var stamp = time.Stamp();
        time.Advance(TimeSpan.FromDays(1));
        return stamp;
    }
}
