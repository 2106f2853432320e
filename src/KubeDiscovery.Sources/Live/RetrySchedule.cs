using Polly;
using Polly.Retry;

namespace KubeDiscovery.Sources.Live;

/// <summary>
/// The one delay schedule of every retry in the server: exponential from <see cref="First"/> by
/// <see cref="Factor"/>, capped at <see cref="Max"/>, with ±20% jitter so many clients never retry in step.
/// Reviews and the authentication ConfigMap's watch retry through Polly with it (<see cref="RetryOptions"/>);
/// the reflector, which must also choose between resuming and listing again, asks it for each delay.
/// </summary>
public sealed record RetrySchedule(TimeSpan First, TimeSpan Max, double Factor = 2)
{
    /// <summary>Watches and lists of the followed cluster (client-go's reflector backs off 800 ms to 30 s).</summary>
    public static readonly RetrySchedule Watches = new(TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(30));

    /// <summary>TokenReviews and SubjectAccessReviews: kube-apiserver's webhook backoff (500 ms, ×1.5).</summary>
    public static readonly RetrySchedule Reviews = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5), 1.5);

    /// <summary>The delay before retry number <paramref name="failures"/> (1 for the first).</summary>
    public TimeSpan Delay(int failures)
    {
        var exponent = Math.Min(Math.Max(failures, 1) - 1, 30);
        var delay = Math.Min(First.TotalMilliseconds * Math.Pow(Factor, exponent), Max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(delay * (0.8 + (0.4 * Random.Shared.NextDouble())));
    }

    /// <summary>Polly retry options on this schedule.</summary>
    /// <param name="attempts">Retries after the first try; null retries until cancelled.</param>
    public RetryStrategyOptions RetryOptions(int? attempts, Func<Exception, bool> transient, Func<OnRetryArguments<object>, ValueTask>? onRetry = null) => new()
    {
        MaxRetryAttempts = attempts ?? int.MaxValue,
        ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException && transient(e)),
        DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Delay(args.AttemptNumber + 1)),
        OnRetry = onRetry,
    };
}
