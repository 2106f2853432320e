using System.Text;
using k8s;
using k8s.Models;
using KubeDiscovery.Security.Authentication;
using KubeDiscovery.Sources.Live;

namespace KubeDiscovery.Security.Authorization;

/// <summary>
/// Asks kube-apiserver whether a user may do something, with a <c>SubjectAccessReview</c> (the
/// delegated webhook authorizer of k8s.io/apiserver). Allowed and not-allowed answers are cached for
/// their TTLs, keyed by everything in the review's spec; failures are not cached and become a 500.
/// </summary>
internal sealed class SubjectAccessReviewer
{
    private readonly IKubernetes _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ReviewCache<AccessDecision> _cache;
    private readonly Observability.ReviewMetrics? _metrics;
    private readonly Polly.ResiliencePipeline _retry;
    private int _reviewsSent;

    public SubjectAccessReviewer(IKubernetes client, TimeSpan allowedTtl, TimeSpan deniedTtl, TimeProvider time, ILogger logger,
        Observability.ReviewMetrics? metrics = null)
    {
        _client = client;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _retry = ReviewRetry.Create("SubjectAccessReview", logger, time);
        _cache = new ReviewCache<AccessDecision>(time, d => d.IsAllowed ? allowedTtl : deniedTtl, metrics);
    }

    /// <summary>How many SubjectAccessReviews were sent: the cache's effect, visible to tests and metrics.</summary>
    public int ReviewsSent => _reviewsSent;

    public async ValueTask<AccessDecision> ReviewAsync(UserInfo user, RequestAttributes attributes, CancellationToken cancellationToken)
    {
        try
        {
            return await _cache.GetOrReviewAsync(Key(user, attributes), ct => SendAsync(user, attributes, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not AuthorizationUnavailableException)
        {
            throw new AuthorizationUnavailableException($"SubjectAccessReview failed: {KubernetesErrors.Describe(e)}", e);
        }
    }

    private async Task<AccessDecision> SendAsync(UserInfo user, RequestAttributes a, CancellationToken cancellationToken)
    {
        var spec = new V1SubjectAccessReviewSpec
        {
            User = user.Name,
            Uid = user.Uid,
            Groups = user.Groups.ToList(),
            Extra = user.Extra.Count == 0 ? null : user.Extra.ToDictionary(e => e.Key, e => (IList<string>)e.Value.ToList()),
        };
        if (a.IsResourceRequest)
        {
            spec.ResourceAttributes = new V1ResourceAttributes
            {
                Verb = a.Verb,
                Group = a.ApiGroup,
                Version = NullIfEmpty(a.ApiVersion),
                Resource = a.Resource,
                Subresource = NullIfEmpty(a.Subresource),
                NamespaceProperty = NullIfEmpty(a.Namespace),
                Name = NullIfEmpty(a.Name),
            };
        }
        else
        {
            spec.NonResourceAttributes = new V1NonResourceAttributes { Path = a.Path, Verb = a.Verb };
        }
        var review = new V1SubjectAccessReview { ApiVersion = "authorization.k8s.io/v1", Kind = "SubjectAccessReview", Spec = spec };

        using var span = Observability.Tracing.Source.StartActivity("SubjectAccessReview", System.Diagnostics.ActivityKind.Client);
        V1SubjectAccessReview answer;
        try
        {
            answer = await _retry.ExecuteAsync(ct =>
            {
                Interlocked.Increment(ref _reviewsSent);
                return new ValueTask<V1SubjectAccessReview>(_client.AuthorizationV1.CreateSubjectAccessReviewAsync(review, cancellationToken: ct));
            }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _metrics?.Sent("error");
            throw;
        }

        var status = answer.Status;
        _metrics?.Sent(status is null ? "error" : status.Allowed ? "allowed" : status.Denied == true ? "denied" : "no-opinion");
        if (status is null) throw new AuthorizationUnavailableException("SubjectAccessReview answered without a status");
        if (status.Allowed && status.Denied == true)
        {
            throw new AuthorizationUnavailableException("SubjectAccessReview answered both allowed and denied");
        }
        var reason = status.Reason ?? "";
        return status.Allowed ? new AccessDecision(AccessOutcome.Allow, reason)
            : status.Denied == true ? new AccessDecision(AccessOutcome.Deny, reason)
            : new AccessDecision(AccessOutcome.NoOpinion, reason);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    // The cache key is everything the review's spec carries, so two requests share an answer only
    // when kube-apiserver would have been asked the same question.
    private static string Key(UserInfo user, RequestAttributes a)
    {
        var key = new StringBuilder(128);
        key.Append(user.Name).Append('\u0001').Append(user.Uid).Append('\u0001');
        foreach (var group in user.Groups) key.Append(group).Append('\u0002');
        key.Append('\u0001');
        foreach (var (name, values) in user.Extra.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            key.Append(name).Append('=');
            foreach (var value in values) key.Append(value).Append('\u0002');
            key.Append('\u0003');
        }
        key.Append('\u0001').Append(a.IsResourceRequest ? 'r' : 'n').Append('\u0001').Append(a.Verb).Append('\u0001');
        if (a.IsResourceRequest)
        {
            key.Append(a.ApiGroup).Append('\u0001').Append(a.ApiVersion).Append('\u0001').Append(a.Resource).Append('\u0001')
                .Append(a.Subresource).Append('\u0001').Append(a.Namespace).Append('\u0001').Append(a.Name);
        }
        else
        {
            key.Append(a.Path);
        }
        return key.ToString();
    }
}
