using KubeDiscovery.History.Storage;

namespace KubeDiscovery.Api.History;

/// <summary>
/// A history request whose database does not answer gets a 503 that says so, with Retry-After (kubectl
/// retries), never a 500: compositions and connections are served from memory and do not depend on it.
/// </summary>
internal static class HistoryGuard
{
    public static async Task RunAsync(HttpContext context, Func<Task> answer)
    {
        try
        {
            await answer();
        }
        catch (Exception e) when (Unavailable(e) && !context.Response.HasStarted)
        {
            var message = e is HistoryUnavailableException ? e.Message : $"the history database is not answering: {e.Message}";
            await StatusErrors.ServiceUnavailable(context, message, retryAfterSeconds: 5);
        }
    }

    /// <summary>Whether an exception says the database is away (retry later), not that the request or the server is wrong.</summary>
    internal static bool Unavailable(Exception e) => e is HistoryUnavailableException or System.Data.Common.DbException or TimeoutException
        or System.Net.Sockets.SocketException or IOException
        || (e is InvalidOperationException && e.InnerException is { } inner && Unavailable(inner));
}
