using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeDiscovery.TestDoubles;

/// <summary>
/// kube-apiserver's aggregation layer, as kubectl sees it: one URL (plain HTTP on loopback) where
/// <c>/apis/{group}/…</c> of the aggregated group reaches the extension server and everything else the
/// cluster, and <c>/apis</c> lists both clusters' groups. Discovery is served in the legacy form only
/// (an <c>APIGroupList</c>), which kubectl falls back to, so both servers' resources meet in one RESTMapper
/// — where a name two groups both serve would collide.
/// </summary>
public sealed class FakeAggregator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeAggregator(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <param name="cluster">The cluster (its token is sent).</param>
    /// <param name="group">The aggregated group (kubediscovery.io).</param>
    /// <param name="extension">The extension server's base URL, and a client it accepts (an admin's certificate).</param>
    public static async Task<FakeAggregator> StartAsync(FakeKubeApiServer cluster, string group, string extension, HttpClient extensionClient)
    {
        var clusterClient = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
        if (cluster.Token is { } token) clusterClient.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(async context =>
        {
            var path = context.Request.Path.Value ?? "/";
            if (path == "/apis")
            {
                var merged = new JsonArray();
                foreach (var (client, url) in new[] { (clusterClient, cluster.Url.GetLeftPart(UriPartial.Authority)), (extensionClient, extension) })
                {
                    var list = JsonNode.Parse(await client.GetStringAsync(url + "/apis"))!;
                    foreach (var g in list["groups"]!.AsArray()) merged.Add(g!.DeepClone());
                }
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = merged }.ToJsonString());
                return;
            }
            var toExtension = path.StartsWith($"/apis/{group}", StringComparison.Ordinal);
            var target = (toExtension ? extension : cluster.Url.GetLeftPart(UriPartial.Authority)) + path + context.Request.QueryString;
            using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target);
            // Legacy discovery only: the Accept kubectl sends asks for aggregated discovery first.
            var accept = context.Request.Headers.Accept.ToString();
            request.Headers.TryAddWithoutValidation("Accept", accept.Contains("apidiscovery.k8s.io", StringComparison.Ordinal) ? "application/json" : accept);
            using var response = await (toExtension ? extensionClient : clusterClient).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
            context.Response.StatusCode = (int)response.StatusCode;
            if (response.Content.Headers.ContentType is { } type) context.Response.ContentType = type.ToString();
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        });
        await app.StartAsync();
        var aggregator = new FakeAggregator(app);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        aggregator.Url = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return aggregator;
    }

    /// <summary>A kubeconfig for kubectl to reach the aggregator (no credentials: it adds its own).</summary>
    public string WriteKubeconfig(string path)
    {
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: aggregated
              cluster:
                server: {Url.GetLeftPart(UriPartial.Authority)}
            users:
            - name: anyone
              user: {"{}"}
            contexts:
            - name: aggregated
              context:
                cluster: aggregated
                user: anyone
            current-context: aggregated

            """);
        return path;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
