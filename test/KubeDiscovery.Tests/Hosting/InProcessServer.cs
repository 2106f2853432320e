using System.Net;
using System.Net.Sockets;
using KubeDiscovery.Hosting;
using KubeDiscovery.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace KubeDiscovery.Tests.Hosting;

/// <summary>
/// The real host (Kestrel, middleware, hosted services) in this process on the sample cluster, on the
/// test's clock, with no cluster to delegate to (every request allowed): for what only a running host shows.
/// </summary>
internal sealed class InProcessServer : IAsyncDisposable
{
    private InProcessServer(WebApplication app, int port)
    {
        App = app;
        Url = $"https://127.0.0.1:{port}";
        Http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
    }

    public WebApplication App { get; }

    public string Url { get; }

    public HttpClient Http { get; }

    /// <param name="history">History recorded from the sample cluster as it loads, and served.</param>
    public static async Task<InProcessServer> StartAsync(TimeProvider time, Func<ServingOptions, ServingOptions>? serving = null, HistoryService? history = null)
    {
        var cache = (await IndexSource.OpenAsync(new SourceOptions { Demo = true }, default, history?.Feed)).Cache;
        var port = FreePort();
        var options = new ServingOptions { SecurePort = port, BindAddress = "127.0.0.1" };
        options = serving?.Invoke(options) ?? options;
        var delegation = new DelegatedSecurity(new SecurityOptions(), null, null, null, null);
        var app = ServerHost.Build(options, cache, delegation, new LoggingOptions { Level = LogLevel.Warning },
            history is null ? null : services => ServerHost.AddHistory(services, history), time);
        await app.StartAsync();
        return new InProcessServer(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
