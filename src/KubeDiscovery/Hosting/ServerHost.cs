using System.Net;
using KubeDiscovery.Api;
using KubeDiscovery.Graph;
using KubeDiscovery.Security;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using KubeDiscovery.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KubeDiscovery.Hosting;

/// <summary>Builds the HTTPS server around a <see cref="ClusterCache"/>, whichever source fills it.</summary>
internal static class ServerHost
{
    public static WebApplication Build(ServingOptions serving, ClusterCache cache, Delegation delegation, LogLevel level, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Flags arrive as configuration so the options bind the same way from files or environment.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{ServingOptions.Section}:{nameof(ServingOptions.SecurePort)}"] = serving.SecurePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [$"{ServingOptions.Section}:{nameof(ServingOptions.BindAddress)}"] = serving.BindAddress,
            [$"{ServingOptions.Section}:{nameof(ServingOptions.TlsCertFile)}"] = serving.TlsCertFile,
            [$"{ServingOptions.Section}:{nameof(ServingOptions.TlsPrivateKeyFile)}"] = serving.TlsPrivateKeyFile,
        });
        builder.Services.Configure<ServingOptions>(builder.Configuration.GetSection(ServingOptions.Section));

        builder.Logging.ClearProviders();
        if (serving.LoggingFormat == LoggingFormat.Json)
        {
            // One object per line: Timestamp, EventId, LogLevel, Category, Message, State, Scopes (verb, path, user).
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            });
        }
        builder.Logging.SetMinimumLevel(level);
        // ASP.NET's per-request information logs are noise at the default level.
        builder.Logging.AddFilter("Microsoft.AspNetCore", level <= LogLevel.Debug ? level : LogLevel.Warning);
        // A failed start is reported once, in one line, by the command; not also as the host's stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);

        builder.Services.AddSingleton(cache);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(sp => new SecurityServices(delegation, time, sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton(new Graph.Compositions.CompositionOptions
        {
            MaxNodes = serving.MaxTreeNodes,
            CountHidden = delegation.Options.HiddenChildren == HiddenChildrenMode.Count,
        }.Validate());
        builder.Services.AddSingleton<CompositionEndpoints>();
        builder.Services.AddSingleton<Api.Connections.ConnectionEndpoints>();
        builder.Services.AddSingleton<Api.Connections.DanglingEndpoints>();
        builder.Services.AddSingleton<Api.OpenApi.OpenApiDocuments>();
        builder.Services.AddSingleton<Api.Compositions.ListPages>();
        builder.Services.AddSingleton<Api.Compositions.CompositionListEndpoints>();
        builder.Services.AddSingleton<Api.Compositions.CompositionWatch>();
        builder.Services.AddSingleton<DiscoveryEndpoints>();
        builder.Services.AddSingleton<HealthEndpoints>();
        builder.Services.AddRouting();

        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var options = kestrel.ApplicationServices.GetRequiredService<IOptions<ServingOptions>>().Value;
            var certificate = ServingCertificate(options, time, kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>());
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestLineSize = RequestLimits.KestrelRequestLine;
            kestrel.Limits.MaxRequestHeadersTotalSize = RequestLimits.KestrelHeaders;
            kestrel.Listen(IPAddress.Parse(options.BindAddress), options.SecurePort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificateSelector = (_, _) => certificate(),
                    // Ask for a client certificate without requiring one, and accept any at the handshake:
                    // which CA it must chain to depends on the authenticator (front proxy or client CA),
                    // and a request without one still authenticates by token or as anonymous.
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    ClientCertificateValidation = PeerCertificates.Accept,
                });
            });
        });

        var app = builder.Build();
        app.UseMiddleware<KubernetesErrorsMiddleware>();
        app.Use(RequestLimits.Check);
        app.UseMiddleware<AuthenticationMiddleware>();
        app.UseMiddleware<AuthorizationMiddleware>();
        // After authorization, as in kube-apiserver: a write is refused as forbidden before it is refused as unsupported.
        app.Use((context, next) => HttpMethods.IsGet(context.Request.Method) ? next(context) : StatusErrors.MethodNotAllowed(context));
        app.UseRouting();
        app.Use(CaseSensitiveRoutes.Check);
        DiscoveryEndpoints.Map(app);
        CompositionEndpoints.Map(app);
        Api.Connections.ConnectionEndpoints.Map(app);
        Api.Connections.DanglingEndpoints.Map(app);
        Api.Compositions.CompositionListEndpoints.Map(app);
        Api.OpenApi.OpenApiEndpoints.Map(app);
        HealthEndpoints.Map(app);
        app.MapFallback(StatusErrors.PathNotFound);
        return app;
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
