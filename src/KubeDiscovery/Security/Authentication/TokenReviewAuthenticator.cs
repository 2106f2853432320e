using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;
using KubeDiscovery.Sources.Live;
using Microsoft.Extensions.Primitives;

namespace KubeDiscovery.Security.Authentication;

/// <summary>
/// Bearer tokens, resolved by a <c>TokenReview</c> against kube-apiserver (the delegated token
/// authenticator of k8s.io/apiserver). Valid and invalid tokens are cached for the TTL, keyed by the
/// token's SHA-256 so no token is kept in memory; transport errors are not cached.
/// </summary>
internal sealed class TokenReviewAuthenticator
{
    public const string InvalidToken = "invalid bearer token";

    private readonly IKubernetes _client;
    private readonly IReadOnlyList<string>? _audiences;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ReviewCache<AuthenticationResult> _cache;
    private readonly Observability.ReviewMetrics? _metrics;
    private readonly Polly.ResiliencePipeline _retry;
    private int _reviewsSent;

    public TokenReviewAuthenticator(IKubernetes client, TimeSpan cacheTtl, IReadOnlyList<string>? audiences, TimeProvider time, ILogger logger,
        Observability.ReviewMetrics? metrics = null)
    {
        _client = client;
        _audiences = audiences is { Count: > 0 } ? audiences : null;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _retry = ReviewRetry.Create("TokenReview", logger, time);
        _cache = new ReviewCache<AuthenticationResult>(time, _ => cacheTtl, metrics);
    }

    /// <summary>How many TokenReviews were sent: the cache's effect, visible to tests and metrics.</summary>
    public int ReviewsSent => _reviewsSent;

    /// <summary>The token of an <c>Authorization: Bearer</c> header (scheme case-insensitive), or null.</summary>
    public static string? ReadBearer(StringValues authorization)
    {
        if (authorization.Count == 0) return null;
        var parts = (authorization[0] ?? "").Split(' ', 3);
        if (parts.Length < 2 || !parts[0].Equals("bearer", StringComparison.OrdinalIgnoreCase)) return null;
        return parts[1].Length == 0 ? null : parts[1];
    }

    public async ValueTask<AuthenticationResult> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        try
        {
            return await _cache.GetOrReviewAsync(key, ct => ReviewAsync(token, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // kube-apiserver's answer too: a token that cannot be checked authenticates no one (401).
            return AuthenticationResult.Failure($"TokenReview failed: {KubernetesErrors.Describe(e)}");
        }
    }

    private async Task<AuthenticationResult> ReviewAsync(string token, CancellationToken cancellationToken)
    {
        var review = new V1TokenReview
        {
            ApiVersion = "authentication.k8s.io/v1",
            Kind = "TokenReview",
            Spec = new V1TokenReviewSpec { Token = token, Audiences = _audiences?.ToList() },
        };
        using var span = Observability.Tracing.Source.StartActivity("TokenReview", System.Diagnostics.ActivityKind.Client);
        V1TokenReview answer;
        try
        {
            answer = await _retry.ExecuteAsync(ct =>
            {
                Interlocked.Increment(ref _reviewsSent);
                return new ValueTask<V1TokenReview>(_client.AuthenticationV1.CreateTokenReviewAsync(review, cancellationToken: ct));
            }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _metrics?.Sent("error");
            throw;
        }

        var status = answer.Status;
        if (status?.Authenticated != true || status.User?.Username is not { Length: > 0 } name)
        {
            _metrics?.Sent("unauthenticated");
            return AuthenticationResult.Failure(status?.Error is { Length: > 0 } error ? $"{InvalidToken}: {error}" : InvalidToken);
        }
        _metrics?.Sent("authenticated");
        var extra = status.User.Extra?.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)(e.Value?.ToList() ?? []), StringComparer.Ordinal);
        return AuthenticationResult.Success(UserInfo.Create(name, status.User.Uid, status.User.Groups?.ToList() ?? [], extra));
    }
}
