using k8s;
using KubeDiscovery.Hosting;
using KubeDiscovery.Security.Authentication;
using KubeDiscovery.Sources.Live;

namespace KubeDiscovery.Security;

/// <summary>
/// Where authentication and authorization are delegated to, resolved from <see cref="SecurityOptions"/>:
/// the clusters that answer TokenReviews and SubjectAccessReviews (by default the followed cluster; none
/// for a snapshot unless given) and the CA bundles given by flags.
/// </summary>
internal sealed record DelegatedSecurity(
    SecurityOptions Options,
    IKubernetes? AuthenticationClient,
    IKubernetes? AuthorizationClient,
    CaBundleFile? ClientCa,
    CaBundleFile? RequestHeaderCa)
{
    /// <param name="cluster">The followed cluster's connection; null for a snapshot.</param>
    /// <exception cref="ServerStartupException">A kubeconfig or CA file cannot be used.</exception>
    public static DelegatedSecurity Resolve(SecurityOptions options, KubernetesClientConfiguration? cluster, TimeProvider time)
    {
        var authentication = Client(options.AuthenticationKubeconfig, "--authentication-kubeconfig", cluster);
        var authorization = options.AuthorizationKubeconfig == options.AuthenticationKubeconfig && options.AuthorizationKubeconfig is not null
            ? authentication
            : Client(options.AuthorizationKubeconfig, "--authorization-kubeconfig", cluster);
        var clientCa = options.ClientCaFile is { } clientCaFile ? new CaBundleFile(clientCaFile, "--client-ca-file", time) : null;
        var requestHeaderCa = options.RequestHeaderClientCaFile is { } requestHeaderFile
            ? new CaBundleFile(requestHeaderFile, "--requestheader-client-ca-file", time)
            : null;
        return new DelegatedSecurity(options, authentication, authorization, clientCa, requestHeaderCa);
    }

    // Reviews get their own client (and so their own connections): a review must not queue behind
    // the many long-lived watches of the followed cluster.
    private static Kubernetes? Client(string? kubeconfig, string flag, KubernetesClientConfiguration? cluster)
    {
        if (kubeconfig is null) return cluster is null ? null : new Kubernetes(cluster);
        try
        {
            return new Kubernetes(ClusterConnection.Resolve(kubeconfig, context: null).Config);
        }
        catch (ClusterAccessException e)
        {
            throw new ServerStartupException($"{flag}: {e.Message}", e);
        }
    }
}
