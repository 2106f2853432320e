using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeDiscovery.TestDoubles;

/// <summary>
/// A kube-apiserver stand-in on a loopback HTTPS port: legacy discovery (<c>/api</c>, <c>/apis</c>,
/// <c>/apis/{g}/{v}</c>), LIST with <c>limit</c>/<c>continue</c>, WATCH with <c>resourceVersion</c>,
/// bookmarks, <c>timeoutSeconds</c> and 410 for compacted history, metadata-only answers for
/// <c>as=PartialObjectMetadata[List]</c>, bearer-token authentication, and <see cref="FakeFaults"/>.
/// Response shapes follow the recordings in test/fixtures/kube-apiserver-1.19.
/// </summary>
public sealed class FakeKubeApiServer : IAsyncDisposable
{
    private const string MetadataListMediaType = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";
    private const string MetadataMediaType = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1";

    private readonly WebApplication _app;
    private readonly IReadOnlyList<string> _groupOrder;

    private FakeKubeApiServer(WebApplication app, FakeStore store, IReadOnlyList<string> groupOrder, string? token)
    {
        _app = app;
        Store = store;
        _groupOrder = groupOrder;
        Token = token;
    }

    public FakeStore Store { get; }

    public FakeFaults Faults { get; } = new();

    /// <summary>Answers to TokenReviews and SubjectAccessReviews.</summary>
    public FakeReviews Reviews { get; } = new();

    /// <summary>The bearer token clients must send; null accepts anyone.</summary>
    public string? Token { get; }

    /// <summary>How often an idle watch that asked for bookmarks gets one.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// False: idle watches get no bookmarks and end at their <c>timeoutSeconds</c> with an empty body, as
    /// kube-apiserver 1.19 ends the watch of a kind nothing happens to.
    /// </summary>
    public bool SendBookmarks { get; set; } = true;

    public Uri Url { get; private set; } = null!;

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Starts a server whose store holds the recorded 1.19 resources and objects.</summary>
    /// <param name="time">The double's clock (watch timeouts, bookmarks, creation timestamps, its certificate); the machine's by default.</param>
    public static Task<FakeKubeApiServer> StartWithRecordingsAsync(string? token = "test-token", bool withObjects = true, TimeProvider? time = null)
    {
        var directory = Recordings.DefaultDirectory;
        var store = new FakeStore(time);
        Recordings.RegisterBuiltins(store, directory);
        if (withObjects) store.Seed(Recordings.Objects(directory));
        else store.Seed(Recordings.Objects(directory).Where(o => o["kind"]?.GetValue<string>() == "CustomResourceDefinition"));
        return StartAsync(store, Recordings.GroupOrder(directory), token);
    }

    public static async Task<FakeKubeApiServer> StartAsync(FakeStore store, IReadOnlyList<string> groupOrder, string? token = "test-token")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        var certificate = SelfSigned(store.Time);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificate);
            });
        });
        var app = builder.Build();
        var server = new FakeKubeApiServer(app, store, groupOrder, token);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return server;
    }

    /// <summary>
    /// Writes <c>kube-system/extension-apiserver-authentication</c> as kube-apiserver does: the client CA
    /// and, when a front-proxy CA is given, the request-header settings with the standard X-Remote-* headers.
    /// </summary>
    public void PublishAuthentication(string? clientCaPem, string? requestHeaderCaPem, string[] allowedNames)
    {
        var data = new JsonObject();
        if (clientCaPem is not null) data["client-ca-file"] = clientCaPem;
        if (requestHeaderCaPem is not null)
        {
            data["requestheader-client-ca-file"] = requestHeaderCaPem;
            data["requestheader-allowed-names"] = JsonSerializer.Serialize(allowedNames);
            data["requestheader-username-headers"] = "[\"X-Remote-User\"]";
            data["requestheader-group-headers"] = "[\"X-Remote-Group\"]";
            data["requestheader-extra-headers-prefix"] = "[\"X-Remote-Extra-\"]";
        }
        Store.Apply(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "extension-apiserver-authentication", ["namespace"] = "kube-system", ["uid"] = "5e0c7b9e-0000-4000-8000-000000000001" },
            ["data"] = data,
        });
    }

    /// <summary>Writes a kubeconfig pointing at this server (TLS verification off: its certificate is self-signed).</summary>
    public string WriteKubeconfig(string path, string contextName = "fake")
    {
        var tokenLine = Token is null ? "" : $"    token: {Token}\n";
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake-cluster
              cluster:
                server: {Url.GetLeftPart(UriPartial.Authority)}
                insecure-skip-tls-verify: true
            users:
            - name: fake-user
              user:
            {tokenLine}contexts:
            - name: {contextName}
              context:
                cluster: fake-cluster
                user: fake-user
            current-context: {contextName}

            """);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        Faults.DropOpenWatches();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        Requests.Enqueue(new RecordedRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", request.Headers.Accept.ToString()));
        if (Faults.Down)
        {
            context.Abort(); // a stopped control plane: the connection goes, no answer comes
            return;
        }

        if (Token is not null && request.Headers.Authorization.ToString() != $"Bearer {Token}")
        {
            await WriteStatus(context, 401, "Unauthorized", "Unauthorized");
            return;
        }
        if (HttpMethods.IsPost(request.Method) && request.Path.Value is "/apis/authentication.k8s.io/v1/tokenreviews" or "/apis/authorization.k8s.io/v1/subjectaccessreviews")
        {
            await Review(context);
            return;
        }
        if (!HttpMethods.IsGet(request.Method))
        {
            await WriteStatus(context, 405, "MethodNotAllowed", "the fake server only reads");
            return;
        }

        var segments = (request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var isDiscovery = IsDiscovery(segments);
        if ((!isDiscovery || Faults.FailDiscoveryToo) && Faults.TakeFailure(out var failure))
        {
            await WriteStatus(context, failure, failure == 500 ? "InternalError" : "ServiceUnavailable", "injected failure");
            return;
        }

        switch (segments)
        {
            case ["version"]:
                await WriteJson(context, new JsonObject { ["major"] = "1", ["minor"] = "19", ["gitVersion"] = "v1.19.16", ["platform"] = "linux/amd64" });
                return;
            case ["api"]:
                await WriteJson(context, new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1"), ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = Url.Authority }) });
                return;
            case ["api", "v1"]:
                await WriteResourceList(context, "", "v1");
                return;
            case ["apis"]:
                await WriteJson(context, GroupList());
                return;
            case ["apis", var group]:
                var found = GroupList()["groups"]!.AsArray().FirstOrDefault(g => g!["name"]!.GetValue<string>() == group);
                if (found is null) await WriteStatus(context, 404, "NotFound", "the server could not find the requested resource");
                else await WriteJson(context, WithTypeMeta(found.DeepClone().AsObject(), "APIGroup"));
                return;
            case ["apis", var group, var version]:
                await WriteResourceList(context, group, version);
                return;
            case ["api", "v1", .. var rest]:
                await ServeResource(context, "", "v1", rest);
                return;
            case ["apis", var group, var version, .. var rest]:
                await ServeResource(context, group, version, rest);
                return;
            default:
                await WriteStatus(context, 404, "NotFound", "the server could not find the requested resource");
                return;
        }
    }

    private async Task Review(HttpContext context)
    {
        if (Reviews.Fail)
        {
            await WriteStatus(context, 500, "InternalError", "Internal error occurred: injected review failure");
            return;
        }
        JsonObject review;
        try
        {
            review = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException)
        {
            await WriteStatus(context, 400, "BadRequest", $"cannot read the review: {e.Message}");
            return;
        }
        context.Response.StatusCode = 201;
        await WriteJson(context, context.Request.Path.Value!.EndsWith("tokenreviews", StringComparison.Ordinal)
            ? Reviews.ReviewToken(review)
            : Reviews.ReviewAccess(review));
    }

    private static bool IsDiscovery(string[] segments) => segments switch
    {
        ["api"] or ["api", "v1"] or ["apis"] or ["apis", _] or ["apis", _, _] => true,
        _ => false,
    };

    private JsonObject GroupList()
    {
        var groups = Store.Resources.Where(r => r.Group.Length > 0).GroupBy(r => r.Group)
            .OrderBy(g => IndexOf(_groupOrder, g.Key))
            .ThenBy(g => g.Key, StringComparer.Ordinal);
        var array = new JsonArray();
        foreach (var group in groups)
        {
            var versions = group.SelectMany(r => r.Versions).Distinct().ToList();
            var preferred = group.First().Versions[0];
            array.Add(new JsonObject
            {
                ["name"] = group.Key,
                ["versions"] = new JsonArray(versions.Select(v => (JsonNode)new JsonObject { ["groupVersion"] = $"{group.Key}/{v}", ["version"] = v }).ToArray()),
                ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{group.Key}/{preferred}", ["version"] = preferred },
            });
        }
        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = array };
    }

    private static int IndexOf(IReadOnlyList<string> order, string group)
    {
        for (var i = 0; i < order.Count; i++)
        {
            if (order[i] == group) return i;
        }
        return int.MaxValue;
    }

    private Task WriteResourceList(HttpContext context, string group, string version)
    {
        var resources = Store.Resources.Where(r => r.Group == group && r.Versions.Contains(version)).ToList();
        if (resources.Count == 0) return WriteStatus(context, 404, "NotFound", "the server could not find the requested resource");
        return WriteJson(context, new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = new JsonArray(resources.Select(r => (JsonNode)r.ToDiscoveryEntry()).ToArray()),
        });
    }

    private async Task ServeResource(HttpContext context, string group, string version, string[] rest)
    {
        string? ns = null;
        string plural;
        switch (rest)
        {
            case ["namespaces", var n, var p]:
                ns = n;
                plural = p;
                break;
            case [var p]:
                plural = p;
                break;
            default:
                await WriteStatus(context, 404, "NotFound", "the fake server serves only LIST and WATCH");
                return;
        }
        var resource = Store.FindResource(group, plural);
        if (resource is null || !resource.Versions.Contains(version) || (ns is not null && !resource.Namespaced))
        {
            await WriteStatus(context, 404, "NotFound", "the server could not find the requested resource");
            return;
        }

        if (Faults.IsForbidden(plural))
        {
            var scope = ns is null ? "at the cluster scope" : $"in the namespace \"{ns}\"";
            var qualified = group.Length == 0 ? plural : $"{plural}.{group}";
            await WriteStatus(context, 403, "Forbidden", $"{qualified} is forbidden: User \"system:serviceaccount:kubediscovery:kubediscovery\" cannot list resource \"{plural}\" in API group \"{group}\" {scope}");
            return;
        }
        var query = context.Request.Query;
        var watch = query["watch"].ToString() is "true" or "1";
        var metadataOnly = context.Request.Headers.Accept.ToString().Contains(watch ? "as=PartialObjectMetadata;" : "as=PartialObjectMetadataList;", StringComparison.Ordinal);
        if (watch) await Watch(context, resource, version, ns, metadataOnly);
        else await List(context, resource, version, ns, metadataOnly);
    }

    private async Task List(HttpContext context, FakeResource resource, string version, string? ns, bool metadataOnly)
    {
        // Reflectors' lists stall; a single-object read (the authentication ConfigMap) does not.
        while (Faults.StallLists && NameSelector(context) is null && !context.RequestAborted.IsCancellationRequested)
        {
            await Task.Delay(20, CancellationToken.None);
        }

        var query = context.Request.Query;
        var limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var l) ? l : 0;
        string? afterKey = null;
        long? listVersion = null;
        var continueToken = query["continue"].ToString();
        if (continueToken.Length > 0)
        {
            if (!TryReadContinue(continueToken, out var tokenVersion, out afterKey))
            {
                await WriteStatus(context, 400, "BadRequest", "continue key is not valid");
                return;
            }
            if (tokenVersion < Store.CompactedAt)
            {
                await WriteStatus(context, 410, "Expired", "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
                return;
            }
            listVersion = tokenVersion;
        }

        var (items, currentVersion, next) = Store.List(resource, ns, afterKey, limit);
        if (NameSelector(context) is { } only) items = items.Where(i => NameOf(i) == only).ToList();
        var rv = listVersion ?? currentVersion;

        context.Response.ContentType = metadataOnly ? MetadataListMediaType : "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("kind", metadataOnly ? "PartialObjectMetadataList" : resource.ListKind);
        writer.WriteString("apiVersion", metadataOnly ? "meta.k8s.io/v1" : resource.GroupVersion(version));
        writer.WriteStartObject("metadata");
        writer.WriteString("resourceVersion", rv.ToString(CultureInfo.InvariantCulture));
        if (next is not null) writer.WriteString("continue", WriteContinue(rv, next));
        writer.WriteEndObject();
        writer.WriteStartArray("items");
        foreach (var item in items) writer.WriteRawValue(metadataOnly ? item.MetadataOnly : item.Item, skipInputValidation: true);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private async Task Watch(HttpContext context, FakeResource resource, string version, string? ns, bool metadataOnly)
    {
        var query = context.Request.Query;
        var bookmarks = query["allowWatchBookmarks"].ToString() is "true" or "1";
        var timeout = int.TryParse(query["timeoutSeconds"], CultureInfo.InvariantCulture, out var t) && t > 0 ? TimeSpan.FromSeconds(t) : TimeSpan.FromMinutes(30);
        var rvText = query["resourceVersion"].ToString();
        if (rvText.Length > 0 && !long.TryParse(rvText, CultureInfo.InvariantCulture, out _))
        {
            await WriteStatus(context, 400, "BadRequest", $"invalid resourceVersion \"{rvText}\"");
            return;
        }
        var cursor = rvText is "" or "0" ? -1 : long.Parse(rvText, CultureInfo.InvariantCulture);
        var dropAfter = Faults.TakeDrop();

        var response = context.Response;
        response.ContentType = metadataOnly ? MetadataMediaType : "application/json";
        Faults.WatchOpened(context);
        try
        {
            await response.StartAsync(context.RequestAborted);
            var sent = 0;
            if (cursor < 0)
            {
                // No resourceVersion: start with the current state as ADDED events, as the real server does.
                var (items, current, _) = Store.List(resource, ns, null, 0);
                var only = NameSelector(context);
                foreach (var item in items)
                {
                    if (only is not null && NameOf(item) != only) continue;
                    if (dropAfter is { } d && sent >= d) { context.Abort(); return; }
                    await WriteEvent(response, "ADDED", metadataOnly ? item.MetadataOnly : item.Json);
                    sent++;
                }
                cursor = current;
            }

            var time = Store.Time;
            var deadline = time.GetUtcNow() + timeout;
            var lastSent = time.GetUtcNow();
            while (!context.RequestAborted.IsCancellationRequested && time.GetUtcNow() < deadline)
            {
                if (dropAfter is { } drop && sent >= drop)
                {
                    context.Abort();
                    return;
                }
                var changed = Store.Changed;
                if (!Faults.StallWatches)
                {
                    var (events, storeVersion) = Store.EventsSince(resource, ns, cursor);
                    if (events is null)
                    {
                        await WriteEvent(response, "ERROR", JsonSerializer.SerializeToUtf8Bytes(StatusObject(410, "Expired", $"too old resource version: {cursor} ({Store.CompactedAt + 1})")));
                        return;
                    }
                    var only = NameSelector(context);
                    foreach (var e in events)
                    {
                        if (only is not null && NameOf(e.Object) != only) continue;
                        if (dropAfter is { } d && sent >= d) { context.Abort(); return; }
                        await WriteEvent(response, e.Type, metadataOnly ? e.Object.MetadataOnly : e.Object.Json);
                        cursor = e.ResourceVersion;
                        lastSent = time.GetUtcNow();
                        sent++;
                    }
                    // Everything up to the store's version has been looked at: the next scan starts there,
                    // so a quiet watch does not rescan other kinds' events on every change.
                    cursor = Math.Max(cursor, storeVersion);
                    if (bookmarks && SendBookmarks && time.GetUtcNow() - lastSent >= BookmarkInterval)
                    {
                        cursor = Math.Max(cursor, storeVersion);
                        await WriteEvent(response, "BOOKMARK", Bookmark(resource, version, cursor, metadataOnly));
                        lastSent = time.GetUtcNow();
                    }
                }
                var wait = TimeSpan.FromMilliseconds(Math.Max(1, Math.Min((deadline - time.GetUtcNow()).TotalMilliseconds, BookmarkInterval.TotalMilliseconds)));
                try
                {
                    await changed.WaitAsync(wait, time, context.RequestAborted);
                }
                catch (TimeoutException)
                {
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
        finally
        {
            Faults.WatchClosed(context);
        }
    }

    // The one field selector reflectors of a single object use: metadata.name=<name>.
    private static string? NameSelector(HttpContext context)
    {
        var selector = context.Request.Query["fieldSelector"].ToString();
        return selector.StartsWith("metadata.name=", StringComparison.Ordinal) ? selector["metadata.name=".Length..] : null;
    }

    private static string? NameOf(StoredObject item) => item.Node["metadata"]?["name"]?.GetValue<string>();

    private static byte[] Bookmark(FakeResource resource, string version, long rv, bool metadataOnly) =>
        JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["kind"] = metadataOnly ? "PartialObjectMetadata" : resource.Kind,
            ["apiVersion"] = metadataOnly ? "meta.k8s.io/v1" : resource.GroupVersion(version),
            ["metadata"] = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture), ["creationTimestamp"] = null },
        });

    private static async Task WriteEvent(HttpResponse response, string type, byte[] obj)
    {
        var head = Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":");
        await response.Body.WriteAsync(head);
        await response.Body.WriteAsync(obj);
        await response.Body.WriteAsync("}\n"u8.ToArray());
        await response.Body.FlushAsync();
    }

    private static string WriteContinue(long rv, string afterKey) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = rv, ["start"] = afterKey }));

    private static bool TryReadContinue(string token, out long rv, out string? afterKey)
    {
        rv = 0;
        afterKey = null;
        try
        {
            var node = JsonNode.Parse(Convert.FromBase64String(token));
            rv = node!["rv"]!.GetValue<long>();
            afterKey = node["start"]!.GetValue<string>();
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException or NullReferenceException or InvalidOperationException)
        {
            return false;
        }
    }

    private static JsonObject StatusObject(int code, string reason, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    };

    private static Task WriteStatus(HttpContext context, int code, string reason, string message)
    {
        context.Response.StatusCode = code;
        return WriteJson(context, StatusObject(code, reason, message));
    }

    private static async Task WriteJson(HttpContext context, JsonObject body)
    {
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body));
    }

    private static JsonObject WithTypeMeta(JsonObject obj, string kind)
    {
        obj["kind"] = kind;
        obj["apiVersion"] = "v1";
        return obj;
    }

    private static X509Certificate2 SelfSigned(TimeProvider time)
    {
        var now = time.GetUtcNow();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=fake-kube-apiserver", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }
}

/// <summary>What the fake server saw: method, path, query string and Accept header.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string Accept);
