using System.Globalization;
using System.Threading.RateLimiting;
using KubeDiscovery.Hosting;
using KubeDiscovery.Security;

namespace KubeDiscovery.Api.Limits;

/// <summary>
/// kube-apiserver's max-in-flight idea for the answers that cost: at most
/// <see cref="ServingOptions.MaxRequestsInflightPerUser"/> per user and
/// <see cref="ServingOptions.MaxRequestsInflight"/> in all are built at once, as many more wait (oldest
/// first), and the rest are a <c>429 TooManyRequests</c> with <c>Retry-After</c>. The user's own limit comes
/// first, so one user's flood waits in its own queue and cannot take every place. Runs after
/// authentication (the user is known) and before authorization, as kube-apiserver's filter does.
/// Watches (long-lived by design), discovery, OpenAPI, the web view's files and the audit webhook are
/// not limited. ASP.NET Core's rate limiter does the queueing; this only says what is limited and how.
/// </summary>
internal static class InFlightLimits
{
    public const int RetryAfterSeconds = 1;

    public static void Add(IServiceCollection services, ServingOptions serving)
    {
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (rejected, _) => Reject(rejected.HttpContext);
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => Limited(context)
                    ? RateLimitPartition.GetConcurrencyLimiter("user:" + context.GetKubernetesUser().Name, _ => Concurrency(serving.MaxRequestsInflightPerUser))
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(context => Limited(context)
                    ? RateLimitPartition.GetConcurrencyLimiter("all", _ => Concurrency(serving.MaxRequestsInflight))
                    : RateLimitPartition.GetNoLimiter("")));
        });
    }

    private static ConcurrencyLimiterOptions Concurrency(int permits) => new()
    {
        PermitLimit = permits,
        QueueLimit = permits,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    };

    /// <summary>Whether a request builds an answer from the index or the history (and so takes a place).</summary>
    public static bool Limited(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) return false;
        var path = request.Path.Value ?? "";
        const string prefix = KubeDiscoveryApi.Prefix + "/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal)) return false;
        var rest = path.AsSpan(prefix.Length);
        if (rest.Length == 0 || rest.StartsWith("ui", StringComparison.Ordinal)) return false;
        return !Compositions.WatchQuery.IsWatch(request.Query);
    }

    private static ValueTask Reject(HttpContext context)
    {
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return new ValueTask(StatusErrors.Write(context, new KubeStatus
        {
            Code = StatusCodes.Status429TooManyRequests,
            Reason = "TooManyRequests",
            Message = "Too many requests, please try again later.",
            Details = new StatusDetails { RetryAfterSeconds = RetryAfterSeconds },
        }));
    }
}
