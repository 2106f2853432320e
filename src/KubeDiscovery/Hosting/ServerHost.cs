using System.Net;
using KubeDiscovery.Api;
using KubeDiscovery.Graph;
using KubeDiscovery.Observability;
using KubeDiscovery.Security;
using KubeDiscovery.Sources.Live;
using KubeDiscovery.Tls;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Prometheus;

namespace KubeDiscovery.Hosting;

/// <summary>
/// Builds the HTTPS server around a <see cref="ClusterCache"/>, whichever source fills it. Everything that
/// runs for the server's lifetime is a hosted service started in order before the port opens (the live
/// source, the trust material) and stopped in reverse after it closes; see <see cref="ShutdownGate"/>.
/// </summary>
internal static class ServerHost
{
    /// <summary>The whole server as the command line describes it: source opened, credentials made, host built (not started).</summary>
    /// <exception cref="ServerStartupException">Something it needs cannot be used; the message says what.</exception>
    public static async Task<WebApplication> BuildAsync(ServerOptions options, CancellationToken cancellationToken)
    {
        var (serving, source, security) = (options.Serving, options.Source, options.Security);
        ServingTls.WarmSystemTrust();
        // History first: a snapshot is recorded as it loads, a live cluster from its first LIST.
        var history = options.History is { } historyOptions ? await HistoryService.OpenAsync(historyOptions, TimeProvider.System, cancellationToken).ConfigureAwait(false) : null;
        IndexSource index;
        try
        {
            index = await IndexSource.OpenAsync(source, cancellationToken, history?.Feed).ConfigureAwait(false);
        }
        catch
        {
            if (history is not null) await history.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        // Before anything is written: a port in use is one clear line, and a second server on the same
        // port never overwrites the first one's kubeconfig in --cert-dir.
        if (PortInUse(serving) is { } busy)
        {
            throw new ServerStartupException($"cannot listen on {serving.BindAddress}:{serving.SecurePort}: {busy} (choose another with --secure-port)");
        }

        // No cluster to authenticate against and no CA given: make the credentials kubectl needs, and say where.
        LocalAccess? local = null;
        if (!source.IsLive && security.ClientCaFile is null && security.AuthenticationKubeconfig is null && security.AuthorizationKubeconfig is null)
        {
            local = LocalAccess.Create(serving.LocalCertDirectory, serving, serving.TlsCertFile, serving.TlsPrivateKeyFile, TimeProvider.System);
            security = security with { ClientCaFile = local.ClientCaFile };
            serving = serving with { TlsCertFile = local.ServingCertFile, TlsPrivateKeyFile = local.ServingKeyFile };
        }

        var delegation = DelegatedSecurity.Resolve(security, index.Cluster?.Config, TimeProvider.System);
        var cache = index.Cache;
        var app = Build(serving, cache, delegation, options.Logging, services =>
        {
            // Before the live source, so it stops after it: what the watches saw last is written before the store closes.
            if (history is not null) AddHistory(services, history);
            if (index.Cluster is { } cluster)
            {
                // Registered first so it starts first: discovery fails the start before anything else runs.
                services.AddSingleton(sp => new LiveClusterSource(new k8s.Kubernetes(cluster.Config), cluster.Description, cache,
                    new LiveSourceOptions { Resources = source.Resources, ExcludeResources = source.ExcludeResources },
                    sp.GetRequiredService<ILoggerFactory>(), TimeProvider.System, sp.GetRequiredService<ServerMetrics>().Source, history?.Feed));
                services.AddHostedService(sp => new LiveSourceService(sp.GetRequiredService<LiveClusterSource>()));
            }
            services.AddHostedService(sp => new StartupSettle(
                index.Cluster is null ? () => Task.CompletedTask : () => sp.GetRequiredService<LiveClusterSource>().Synced,
                history, sp.GetRequiredService<IHostApplicationLifetime>(), sp.GetRequiredService<ILogger<StartupSettle>>()));
        });

        var logger = app.Logger;
        LogRuleErrors(logger, cache.Relations.Current);
        cache.Relations.Changed += rules => LogRuleErrors(logger, rules);
        if (index.Cluster is null)
        {
            ServerLog.SourceLoaded(logger, index.Description, cache.Index.Count, cache.Catalog.Types.Count);
            if (index.Snapshot?.SkippedWarning is { } skipped) ServerLog.SnapshotSkipped(logger, skipped);
            if (index.Snapshot?.DuplicatesNote is { } duplicates) ServerLog.SnapshotDuplicates(logger, duplicates);
            if (index.Snapshot?.OursNote is { } ours) ServerLog.SnapshotDuplicates(logger, ours); // the same kind of note: information
        }
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            ServerLog.Serving(logger, serving.BindAddress, serving.SecurePort);
            if (!source.IsLive && IPAddress.IsLoopback(IPAddress.Parse(serving.BindAddress))) ServerLog.LoopbackOnly(logger, serving.BindAddress);
            if (local is not null) ServerLog.LocalKubeconfig(logger, local.KubeconfigPath);
        });
        return app;
    }

    /// <summary>History's services: the store and recorder, its upkeep, and its metrics.</summary>
    public static void AddHistory(IServiceCollection services, HistoryService history)
    {
        services.AddSingleton(history);
        services.AddSingleton<Api.History.AttributionGate>();
        services.AddHostedService(sp =>
        {
            sp.GetRequiredService<ServerMetrics>().ObserveHistory(history.Recorder, () => history.StoreOpen);
            return new HistoryMaintenance(history, sp.GetRequiredService<ILogger<HistoryMaintenance>>());
        });
    }

    /// <param name="services">More services, registered before the server's own hosted services (so started before them).</param>
    public static WebApplication Build(ServingOptions serving, ClusterCache cache, DelegatedSecurity delegation, LoggingOptions logging,
        Action<IServiceCollection>? services = null, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        ConfigureLogging(builder.Logging, logging);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = serving.ShutdownDelay + serving.ShutdownTimeout);
        // "Now listening on…" and "Press Ctrl+C…" would repeat our own Serving line.
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);

        builder.Services.AddSingleton(serving);
        builder.Services.AddSingleton(cache);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton<ServerMetrics>();
        builder.Services.AddSingleton(sp => new PrometheusBridge(sp.GetRequiredService<ServerMetrics>().Meter));
        builder.Services.AddSingleton(sp => new AccessControl(delegation, time, sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<ServerMetrics>()));
        builder.Services.AddSingleton(new Graph.Compositions.CompositionOptions
        {
            MaxNodes = serving.MaxTreeNodes,
            CountHidden = delegation.Options.HiddenChildren == HiddenChildrenMode.Count,
        }.Validate());
        builder.Services.AddSingleton<CompositionEndpoints>();
        builder.Services.AddSingleton<Api.Connections.ConnectionEndpoints>();
        builder.Services.AddSingleton<Api.Connections.DanglingEndpoints>();
        builder.Services.AddSingleton<Api.OpenApi.OpenApiDocuments>();
        builder.Services.AddSingleton<Api.Compositions.CompositionListEndpoints>();
        builder.Services.AddSingleton<Api.Compositions.CompositionWatch>();
        builder.Services.AddSingleton<Api.Search.SearchEndpoints>();
        builder.Services.AddSingleton<Api.Ui.UiAssets>();
        builder.Services.AddSingleton<Api.History.HistoryTargets>();
        builder.Services.AddSingleton<Api.History.ChangesEndpoints>();
        builder.Services.AddSingleton<Api.History.ChangeFeed>();
        builder.Services.AddSingleton<Api.Applications.ApplicationEndpoints>();
        builder.Services.AddSingleton<Api.Applications.ApplicationAnswers>();
        builder.Services.AddSingleton<Api.Applications.ApplicationWatch>();
        builder.Services.AddSingleton<Api.Applications.ApplicationHistory>();
        builder.Services.AddSingleton<Api.Applications.ApplicationConnections>();
        builder.Services.AddSingleton<DiscoveryEndpoints>();
        builder.Services.AddSingleton<HealthEndpoints>();
        builder.Services.AddRouting();
        Api.Limits.InFlightLimits.Add(builder.Services, serving);

        services?.Invoke(builder.Services);
        builder.Services.AddHostedService<TrustService>();
        builder.Services.AddSingleton<ShutdownGate>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ShutdownGate>());
        if (Tracing.Requested(Environment.GetEnvironmentVariable)) Tracing.AddExporter(builder.Services, Environment.GetEnvironmentVariable);

        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var tls = new ServingTls(ServingCertificate(serving, time, kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>()));
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestLineSize = Api.Limits.RequestLimits.KestrelRequestLine;
            kestrel.Limits.MaxRequestHeadersTotalSize = Api.Limits.RequestLimits.KestrelHeaders;
            kestrel.Listen(IPAddress.Parse(serving.BindAddress), serving.SecurePort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = tls.OnConnection });
            });
        });

        var app = builder.Build();
        app.UseMiddleware<RequestMetricsMiddleware>();
        app.UseMiddleware<KubernetesErrorsMiddleware>();
        app.Use(Api.Limits.RequestLimits.Check);
        app.UseMiddleware<Security.Authentication.AuthenticationMiddleware>();
        app.UseRateLimiter();
        app.UseMiddleware<Security.Authorization.AuthorizationMiddleware>();
        // After authorization, as in kube-apiserver: a write is refused as forbidden before it is refused as unsupported.
        // The one write: kube-apiserver's audit webhook posting its events.
        app.Use(HeadAsGet);
        app.Use((context, next) => HttpMethods.IsGet(context.Request.Method)
            || (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals(Api.History.AuditWebhook.Path, StringComparison.Ordinal))
            ? next(context) : StatusErrors.MethodNotAllowed(context));
        app.UseRouting();
        app.Use(CaseSensitiveRoutes.Check);
        DiscoveryEndpoints.Map(app);
        CompositionEndpoints.Map(app);
        Api.Connections.ConnectionEndpoints.Map(app);
        Api.Connections.DanglingEndpoints.Map(app);
        Api.Compositions.CompositionListEndpoints.Map(app);
        Api.Applications.ApplicationEndpoints.Map(app);
        Api.OpenApi.OpenApiEndpoints.Map(app);
        Api.History.HistoryEndpoints.Map(app);
        Api.History.ChangesEndpoints.Map(app);
        Api.History.AuditWebhook.Map(app);
        Api.Search.SearchEndpoints.Map(app);
        Api.Ui.UiEndpoints.Map(app);
        HealthEndpoints.Map(app);
        // Authorized like any non-resource path (get on /metrics), as metrics-server's; text format only.
        var bridge = app.Services.GetRequiredService<PrometheusBridge>();
        app.MapMetrics(settings =>
        {
            settings.Registry = bridge.Registry;
            settings.EnableOpenMetrics = false;
        });
        app.MapFallback(StatusErrors.PathNotFound);
        return app;
    }

    /// <summary>
    /// HEAD wherever GET works, as HTTP requires: answered as the GET is, headers and all, with the body
    /// dropped here (routes are mapped for GET only). Authorization has already read it as a GET would be.
    /// </summary>
    private static async Task HeadAsGet(HttpContext context, RequestDelegate next)
    {
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await next(context);
            return;
        }
        context.Request.Method = HttpMethods.Get;
        var body = context.Response.Body;
        context.Response.Body = Stream.Null;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = body;
        }
    }

    private static void ConfigureLogging(ILoggingBuilder logging, LoggingOptions options)
    {
        logging.ClearProviders();
        if (options.Format == LoggingFormat.Json)
        {
            // One object per line: Timestamp, EventId, LogLevel, Category, Message, State, Scopes (verb, path, user).
            logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            });
        }
        var level = options.Level;
        logging.SetMinimumLevel(level);
        // ASP.NET's per-request information logs are noise at the default level.
        logging.AddFilter("Microsoft.AspNetCore", level <= LogLevel.Debug ? level : LogLevel.Warning);
        // A failed start is reported once, in one line, by the command; not also as the host's stack trace.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
    }

    private static void LogRuleErrors(ILogger logger, Graph.Connections.Rules.RelationRuleSet rules)
    {
        foreach (var error in rules.Errors) ServerLog.RuleRefused(logger, error.Source, error.Message);
    }

    private static string? PortInUse(ServingOptions serving)
    {
        try
        {
            var listener = new System.Net.Sockets.TcpListener(IPAddress.Parse(serving.BindAddress), serving.SecurePort);
            listener.Start();
            listener.Stop();
            return null;
        }
        catch (System.Net.Sockets.SocketException e)
        {
            return e.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse ? "the address is already in use" : e.Message;
        }
    }

    private static Func<System.Security.Cryptography.X509Certificates.X509Certificate2> ServingCertificate(ServingOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("KubeDiscovery.Tls");
        if (!string.IsNullOrEmpty(options.TlsCertFile) && !string.IsNullOrEmpty(options.TlsPrivateKeyFile))
        {
            var (certFile, keyFile) = (options.TlsCertFile, options.TlsPrivateKeyFile);
            var files = new ReloadingFiles<System.Security.Cryptography.X509Certificates.X509Certificate2>(
                [certFile, keyFile], () => ServingCertificates.Load(certFile, keyFile), time)
            {
                Reloaded = certificate => ServerLog.CertificateReloaded(logger, certFile, certificate.NotAfter.ToUniversalTime()),
                ReloadFailed = error => ServerLog.CertificateReloadFailed(logger, error),
            };
            return () => files.Current;
        }
        ServerLog.SelfSignedCertificate(logger, string.Join(", ", ServingCertificates.SelfSignedDnsNames));
        var selfSigned = ServingCertificates.CreateSelfSigned(time);
        return () => selfSigned;
    }
}
