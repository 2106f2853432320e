using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Api;

/// <summary>What every answer checks first, in kube-apiserver's order: can the client take it (406), is the index ready (503).</summary>
internal static class Preconditions
{
    /// <returns>False once the error has been answered.</returns>
    public static async Task<bool> AcceptableAndSyncedAsync(HttpContext context, ClusterCache cache, string mediaType)
    {
        if (!AcceptHeader.Allows(context.Request, mediaType))
        {
            await StatusErrors.NotAcceptable(context, mediaType);
            return false;
        }
        if (!cache.HasSynced)
        {
            await StatusErrors.NotSynced(context);
            return false;
        }
        return true;
    }

    /// <summary>The same checks, then the resource (404 when the cluster serves none of that name). Null once answered.</summary>
    public static async Task<ResourceType?> ResolveAsync(HttpContext context, ClusterCache cache, string resource, string mediaType)
    {
        if (!await AcceptableAndSyncedAsync(context, cache, mediaType)) return null;
        var type = cache.Catalog.Resolve(resource);
        if (type is null) await StatusErrors.UnknownResource(context, resource);
        return type;
    }

    /// <summary>
    /// A subresource path of the wrong scope is a 400 naming the right path: a cluster-scoped kind under
    /// <c>namespaces/{ns}</c>, a namespaced kind without one (unless <c>*</c>). True once answered.
    /// </summary>
    public static async Task<bool> WrongScopeAsync(HttpContext context, ResourceType type, string? ns, string name, string subresource)
    {
        if (ns is not null && !type.Namespaced)
        {
            await StatusErrors.BadRequest(context, $"{type} is cluster-scoped: ask {KubeDiscoveryApi.Prefix}/{type.Plural}/{name}/{subresource}, without namespaces/{ns}");
            return true;
        }
        if (ns is null && type.Namespaced && name != "*")
        {
            await StatusErrors.BadRequest(context,
                $"{type} is namespaced: ask {KubeDiscoveryApi.Prefix}/namespaces/{{namespace}}/{type.Plural}/{name}/{subresource}, or use * for every namespace");
            return true;
        }
        return false;
    }
}
