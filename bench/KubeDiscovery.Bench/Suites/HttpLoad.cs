using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KubeDiscovery.Bench.Generator;
using KubeDiscovery.Hosting;
using KubeDiscovery.Security;
using KubeDiscovery.Security.Authentication;
using KubeDiscovery.TestDoubles;
using Microsoft.Extensions.Logging;

namespace KubeDiscovery.Bench.Suites;

/// <summary>
/// The real server (Kestrel, TLS, authentication, the endpoint) in this process, over a generated
/// cluster, loaded by keep-alive HTTPS clients presenting an admin client certificate, as kubectl
/// would: requests per second and latency percentiles per concurrency, then the same question through
/// <c>kubectl get --raw</c>. Client and server share the machine's CPUs.
/// </summary>
internal static class HttpLoad
{
    public const string TreePath = $"/apis/kubediscovery.io/v1/namespaces/{ClusterGenerator.QueryNamespace}/deployments/{ClusterGenerator.QueryDeployment}/compositions";

    public sealed record Level(int Clients, double Seconds, long Requests, double RequestsPerSecond, double P50Ms, double P99Ms, int Errors);

    public sealed record HttpResult(int Objects, List<Level> Levels, List<double> KubectlMs);

    public static async Task<HttpResult> RunAsync(int objects, int[] concurrency, TimeSpan duration, int kubectlRuns)
    {
        var cache = Ingest.NewCache();
        Ingest.Fill(cache, objects);

        var directory = Directory.CreateTempSubdirectory("kd-bench-http-").FullName;
        try
        {
            var (app, port, admin, certFile, keyFile) = await StartServerAsync(cache, directory);
            await using var _ = app;
            var url = $"https://127.0.0.1:{port}{TreePath}";

            List<Level> levels = [];
            foreach (var clients in concurrency) levels.Add(await LoadAsync(url, admin, clients, duration));

            List<double> kubectl = [];
            for (var i = 0; i < kubectlRuns; i++) kubectl.Add(await KubectlGetRawAsync($"https://127.0.0.1:{port}", certFile, keyFile, directory));
            await app.StopAsync();
            return new HttpResult(cache.Index.Count, levels, kubectl);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <param name="collect">When given, every request's latency (ms) is added to it too.</param>
    internal static async Task<Level> LoadAsync(string url, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, int clients, TimeSpan duration,
        List<double>? collect = null)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = clients,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
            },
        };
        using var http = new HttpClient(handler);
        // Warm up: connections, TLS sessions, JIT.
        await Parallel.ForAsync(0, clients * 50, new ParallelOptions { MaxDegreeOfParallelism = clients }, async (_, ct) =>
        {
            using var response = await http.GetAsync(url, ct);
            await response.Content.ReadAsByteArrayAsync(ct);
        });

        var latencies = new List<double>[clients];
        var errors = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var began = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, clients).Select(async c =>
        {
            var mine = latencies[c] = new List<double>(200_000);
            var buffer = new byte[64 * 1024];
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var start = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
                await using var body = await response.Content.ReadAsStreamAsync();
                while (await body.ReadAsync(buffer) > 0)
                {
                }
                if (response.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref errors);
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }).ToArray();
        await Task.WhenAll(workers);
        var seconds = Stopwatch.GetElapsedTime(began).TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToList();
        collect?.AddRange(all);
        return new Level(clients, seconds, all.Count, all.Count / seconds, Stats.Percentile(all, 0.50), Stats.Percentile(all, 0.99), errors);
    }

    /// <summary>The real server over <paramref name="cache"/>, trusting a fresh client CA, and an admin certificate from it.</summary>
    internal static async Task<(Microsoft.AspNetCore.Builder.WebApplication App, int Port, System.Security.Cryptography.X509Certificates.X509Certificate2 Admin, string CertFile, string KeyFile)>
        StartServerAsync(Graph.ClusterCache cache, string directory)
    {
        var ca = TestPki.SystemClock.CreateCa("bench-client-ca");
        var admin = TestPki.SystemClock.Issue(ca, "bench-admin", ["system:masters"]);
        var (certFile, keyFile) = TestPki.WritePem(admin, directory, "admin");
        var port = FreePort();
        var caFile = Path.Combine(directory, "client-ca.crt");
        await File.WriteAllTextAsync(caFile, TestPki.Pem(ca));
        var delegation = new DelegatedSecurity(new SecurityOptions(), null, null, new CaBundleFile(caFile, "--client-ca-file", TimeProvider.System), null);
        var app = ServerHost.Build(new ServingOptions { SecurePort = port, BindAddress = "127.0.0.1" }, cache, delegation, new LoggingOptions { Level = LogLevel.Warning });
        await app.StartAsync();
        return (app, port, admin, certFile, keyFile);
    }

    internal const string Tree = TreePath;

    /// <summary>One <c>kubectl get --raw</c> of the tree, a new process and connection, as a user types it: milliseconds.</summary>
    internal static async Task<double> KubectlGetRawAsync(string server, string certFile, string keyFile, string home)
    {
        var start = Stopwatch.GetTimestamp();
        var info = new ProcessStartInfo("kubectl", ["--server", server, "--insecure-skip-tls-verify",
            "--client-certificate", certFile, "--client-key", keyFile, "get", "--raw", TreePath])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["KUBECONFIG"] = "/dev/null";
        info.Environment["HOME"] = home;
        using var process = Process.Start(info)!;
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"kubectl failed: {await process.StandardError.ReadToEndAsync()}");
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
