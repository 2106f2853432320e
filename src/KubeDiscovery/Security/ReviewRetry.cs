using System.Net;
using k8s.Autorest;
using KubeDiscovery.Sources.Live;
using Microsoft.Extensions.Logging;

namespace KubeDiscovery.Security;

/// <summary>
/// Retries a review that failed in transport or with a 5xx/429, with the backoff kube-apiserver's
/// webhooks use (500 ms, ×1.5), a few times, so one dropped connection does not fail a request.
/// </summary>
internal static class ReviewRetry
{
    private const int Attempts = 3;
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);

    /// <param name="name">The review's kind, for the log.</param>
    public static async Task<T> RunAsync<T>(string name, Func<CancellationToken, Task<T>> call, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        var delay = FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt < Attempts && IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                SecurityLog.ReviewFailed(logger, name, attempt, KubernetesErrors.Describe(e));
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                delay *= 1.5;
            }
        }
    }

    private static bool IsTransient(Exception e) => e switch
    {
        HttpOperationException http => (int)http.Response.StatusCode >= 500 || http.Response.StatusCode == HttpStatusCode.TooManyRequests,
        HttpRequestException or IOException or TaskCanceledException => true,
        _ => false,
    };
}
