using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.TestDoubles;

/// <summary>Moving a test's <see cref="FakeTimeProvider"/> while the code under test waits on it.</summary>
public static class FakeClock
{
    /// <summary>
    /// Advances <paramref name="time"/> by <paramref name="step"/> whenever <paramref name="work"/> is still
    /// waiting, so its retries and backoffs elapse on the test's clock rather than the machine's. Fails
    /// after <paramref name="maxSteps"/> steps: the work is then waiting on something other than time.
    /// </summary>
    public static async Task<T> DriveAsync<T>(this FakeTimeProvider time, Task<T> work, TimeSpan step, int maxSteps = 1000)
    {
        await DriveAsync(time, (Task)work, step, maxSteps).ConfigureAwait(false);
        return await work.ConfigureAwait(false);
    }

    public static async Task DriveAsync(this FakeTimeProvider time, Task work, TimeSpan step, int maxSteps = 1000)
    {
        for (var i = 0; i < maxSteps && !work.IsCompleted; i++)
        {
            // Let the work reach its next timer (a real, short yield: nothing is asserted on it), then fire it.
            await Task.WhenAny(work, Task.Delay(5)).ConfigureAwait(false);
            if (!work.IsCompleted) time.Advance(step);
        }
        if (!work.IsCompleted) throw new TimeoutException($"still waiting after {maxSteps} steps of {step} on the test's clock");
        await work.ConfigureAwait(false);
    }
}
