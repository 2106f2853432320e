using System.Net;
using k8s.Autorest;
using KubeDiscovery.Sources.Live;
using Polly;

namespace KubeDiscovery.Security;

/// <summary>
/// Retries a review that failed in transport or with a 5xx/429 twice, on <see cref="RetrySchedule.Reviews"/>
/// (kube-apiserver's webhook backoff), so one dropped connection does not fail a request.
/// </summary>
internal static class ReviewRetry
{
    private const int Retries = 2;

    /// <param name="name">The review's kind, for the log.</param>
    public static ResiliencePipeline Create(string name, ILogger logger, TimeProvider time) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(RetrySchedule.Reviews.RetryOptions(Retries, IsTransient, args =>
            {
                SecurityLog.ReviewFailed(logger, name, args.AttemptNumber + 1, KubernetesErrors.Describe(args.Outcome.Exception!));
                return ValueTask.CompletedTask;
            }))
            .Build();

    private static bool IsTransient(Exception e) => e switch
    {
        HttpOperationException http => (int)http.Response.StatusCode >= 500 || http.Response.StatusCode == HttpStatusCode.TooManyRequests,
        HttpRequestException or IOException or TaskCanceledException => true,
        _ => false,
    };
}
