using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeDiscovery.Graph;
using KubeDiscovery.Hosting;
using KubeDiscovery.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.Tests.Api.History;

/// <summary>
/// The real host on the sample cluster with history recorded into a real SQLite file, on the test's
/// clock. Changes reach history the way a watch delivers them: through the feed the sources call.
/// </summary>
internal sealed class HistoryHost : IAsyncDisposable
{
    public const string Api = "/apis/kubediscovery.io/v1";

    private readonly string _directory;

    private HistoryHost(string directory, HistoryService history, InProcessServer server, FakeTimeProvider time)
    {
        _directory = directory;
        History = history;
        Server = server;
        Time = time;
    }

    public HistoryService History { get; }

    public InProcessServer Server { get; }

    public FakeTimeProvider Time { get; }

    public string DatabasePath => Path.Combine(_directory, "history.db");

    public static async Task<HistoryHost> StartAsync(FakeTimeProvider time, Func<HistoryOptions, HistoryOptions>? options = null)
    {
        var directory = Directory.CreateTempSubdirectory("kd-history-api-").FullName;
        var configured = new HistoryOptions { Database = Path.Combine(directory, "history.db") };
        configured = options?.Invoke(configured) ?? configured;
        var history = (await HistoryService.OpenAsync(configured, time, default))!;
        var server = await InProcessServer.StartAsync(time, history: history);
        if (history.StoreOpen) await history.Recorder.FlushAsync(default);
        return new HistoryHost(directory, history, server, time);
    }

    /// <summary>The object as history keeps it at its newest version (status and bookkeeping stripped).</summary>
    public async Task<JsonObject> KeptAsync(string path)
    {
        var spec = await GetJsonAsync(path + "/spechistory");
        return JsonNode.Parse(spec.GetProperty("items")[0].GetProperty("object").GetRawText())!.AsObject();
    }

    /// <summary>
    /// Applies a changed object as a reflector applies a watch event — to the index, then to the history
    /// feed — at the given resourceVersion, and waits until it is written.
    /// </summary>
    public async Task ChangeAsync(string resource, JsonObject obj, string resourceVersion, bool deleted = false)
    {
        var cache = Server.App.Services.GetRequiredService<ClusterCache>();
        var type = cache.Catalog.Resolve(resource)!;
        obj["metadata"]!["resourceVersion"] = resourceVersion;
        // Owned, as a watch event's element is: the feed may keep it.
        var element = JsonSerializer.Deserialize<JsonElement>(obj.ToJsonString());
        if (deleted)
        {
            cache.Index.Delete(obj["metadata"]!["uid"]!.GetValue<string>());
            History.Feed.Deleted(type, element);
        }
        else
        {
            cache.Index.Upsert(cache.Reader.ReadAs(element, type));
            History.Feed.Changed(type, element);
        }
        await History.Recorder.FlushAsync(default);
    }

    public async Task<(HttpStatusCode Status, string Body, string? ContentType)> GetAsync(string path)
    {
        using var response = await Server.Http.GetAsync(Server.Url + path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        var (status, body, _) = await GetAsync(path);
        status.ShouldBe(HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync(); // stops the host, which writes what is queued and closes the store
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
