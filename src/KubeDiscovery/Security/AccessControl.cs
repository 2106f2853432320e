using KubeDiscovery.Security.Authentication;
using KubeDiscovery.Security.Authorization;

namespace KubeDiscovery.Security;

/// <summary>The authenticators and the authorizer one server uses, built from its <see cref="DelegatedSecurity"/>.</summary>
internal sealed class AccessControl : IAsyncDisposable
{
    public AccessControl(DelegatedSecurity delegation, TimeProvider time, ILoggerFactory loggers, Observability.ServerMetrics? metrics = null)
    {
        var options = delegation.Options;
        Options = options;
        var logger = loggers.CreateLogger("KubeDiscovery.Security");
        Trust = new TrustMaterialSource(
            options.AuthenticationSkipLookup ? null : delegation.AuthenticationClient,
            delegation.ClientCa, delegation.RequestHeaderCa, options, time, logger);
        Tokens = delegation.AuthenticationClient is { } authentication
            ? new TokenReviewAuthenticator(authentication, options.TokenCacheTtl, audiences: null, time, logger, metrics?.TokenReviews)
            : null;
        var reviewer = delegation.AuthorizationClient is { } authorization
            ? new SubjectAccessReviewer(authorization, options.AuthorizedCacheTtl, options.UnauthorizedCacheTtl, time, logger, metrics?.AccessReviews)
            : null;
        if (reviewer is null) SecurityLog.NoDelegation(logger);
        Authorizer = new Authorizer(reviewer, options);
        Filter = new CompositionFilter(Authorizer);
    }

    public SecurityOptions Options { get; }

    public TrustMaterialSource Trust { get; }

    /// <summary>Null when there is no cluster to review tokens: a bearer token then authenticates no one.</summary>
    public TokenReviewAuthenticator? Tokens { get; }

    public Authorizer Authorizer { get; }

    public CompositionFilter Filter { get; }

    public ValueTask DisposeAsync() => Trust.DisposeAsync();
}
