using KubeDiscovery.Graph;
using Microsoft.AspNetCore.Http;

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
}
