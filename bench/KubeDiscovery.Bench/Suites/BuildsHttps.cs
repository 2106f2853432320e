using System.Diagnostics;
using System.Globalization;
using KubeDiscovery.Bench.Generator;
using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.Bench.Suites;

/// <summary>
/// The HTTPS figures on the builds as shipped (issue 24: Native AOT has no tiered JIT, so its query paths
/// may move): each build started as its own process, following the same generated cluster in the
/// kube-apiserver double, then loaded by keep-alive clients presenting an admin certificate, as
/// <see cref="HttpLoad"/> loads the in-process server; then <c>kubectl get --raw</c>, a new connection
/// and process per query. The two builds take turns in short rounds, each round's order the reverse of
/// the last (JIT, native, native, JIT, …): one 5 s window per build let a burst of other work on a 2-CPU
/// machine land on one build only (a namespace's trees measured 0.75–1.11 native / JIT across three
/// runs of one 25 s window each), while a round's ratio compares builds measured seconds apart.
/// </summary>
internal static class BuildsHttps
{
    public sealed record Load(string Build, string Query, int Clients, double RequestsPerSecond, double P50Ms, double P99Ms, int Errors);

    public sealed record Kubectl(string Build, double MedianMs, double MinMs);

    /// <summary>Native / JIT requests/s per round of one query and concurrency.</summary>
    public sealed record Rounds(string Query, int Clients, List<double> Ratios);

    public sealed record BuildsResult(int Objects, List<Load> Loads, List<Kubectl> Kubectl, List<Rounds> Rounds);

    /// <summary>Rounds per query and concurrency; each build gets one window of the suite's duration per round.</summary>
    public const int RoundCount = 6;

    /// <summary>The queries: one Deployment's tree (a small answer) and a namespace's every Deployment tree (a large one, mostly JSON writing).</summary>
    public static readonly (string Name, string Path)[] Queries =
    [
        ("one Deployment tree", HttpLoad.TreePath),
        ("a namespace's Deployment trees", $"/apis/kubediscovery.io/v1/namespaces/{ClusterGenerator.QueryNamespace}/deployments/*/compositions"),
    ];

    public static async Task<BuildsResult> RunAsync(int objects, int[] concurrency, TimeSpan duration, int kubectlRuns)
    {
        if (ServerMemory.NativeBinary is null) throw new InvalidOperationException("no native binary: dotnet build test/KubeDiscovery.EndToEnd.Native.Tests, or KUBEDISCOVERY_NATIVE_BINARY");
        var store = LiveCluster.GeneratedStore(objects, []);
        await using var cluster = await FakeKubeApiServer.StartAsync(store, Recordings.GroupOrder(Recordings.DefaultDirectory));
        cluster.BookmarkInterval = TimeSpan.FromSeconds(30);
        var directory = Directory.CreateTempSubdirectory("kd-bench-builds-").FullName;
        List<(string Build, Process Server, string Url)> servers = [];
        try
        {
            var kubeconfig = cluster.WriteKubeconfig(Path.Combine(directory, "kubeconfig"));
            var ca = TestPki.SystemClock.CreateCa("bench-client-ca");
            using var admin = TestPki.SystemClock.Issue(ca, "bench-admin", ["system:masters"]);
            var (certFile, keyFile) = TestPki.WritePem(admin, directory, "admin");
            var caFile = Path.Combine(directory, "client-ca.crt");
            await File.WriteAllTextAsync(caFile, TestPki.Pem(ca));

            foreach (var build in new[] { "JIT build", "native binary" })
            {
                servers.Add(await StartAsync(build, build == "native binary", kubeconfig, caFile, admin));
            }

            List<Load> loads = [];
            List<Rounds> rounds = [];
            foreach (var (query, path) in Queries)
            {
                foreach (var clients in query == Queries[0].Name ? concurrency : [4])
                {
                    var (builds, ratios) = await AlternateAsync(servers, query, path, admin, clients, duration);
                    loads.AddRange(builds);
                    rounds.Add(new Rounds(query, clients, ratios));
                    Console.Error.WriteLine($"{query}, {clients} clients: native / JIT per round {string.Join(", ", ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))}");
                }
            }

            var kubectl = servers.ToDictionary(s => s.Build, _ => new List<double>());
            for (var run = 0; run < kubectlRuns; run++)
            {
                foreach (var (build, _, url) in servers) kubectl[build].Add(await HttpLoad.KubectlGetRawAsync(url, certFile, keyFile, directory));
            }
            return new BuildsResult(store.Snapshot().Count, loads, [.. kubectl.Select(k => new Kubectl(k.Key, Stats.Median(k.Value), k.Value.Min()))], rounds);
        }
        finally
        {
            foreach (var (_, server, _) in servers)
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
                server.Dispose();
            }
            Directory.Delete(directory, recursive: true);
        }
    }

    // RoundCount rounds, the builds' order reversed each round; per build, its requests and latencies over
    // all its windows; per round, native / JIT requests/s.
    private static async Task<(List<Load> Builds, List<double> Ratios)> AlternateAsync(
        List<(string Build, Process Server, string Url)> servers, string query, string path,
        System.Security.Cryptography.X509Certificates.X509Certificate2 admin, int clients, TimeSpan duration)
    {
        var latencies = servers.ToDictionary(s => s.Build, _ => new List<double>());
        var totals = servers.ToDictionary(s => s.Build, _ => (Requests: 0L, Seconds: 0.0, Errors: 0));
        List<double> ratios = [];
        for (var round = 0; round < RoundCount; round++)
        {
            var rate = new Dictionary<string, double>();
            foreach (var (build, _, url) in round % 2 == 0 ? servers : Enumerable.Reverse(servers))
            {
                var level = await HttpLoad.LoadAsync(url + path, admin, clients, duration, latencies[build]);
                var (requests, seconds, errors) = totals[build];
                totals[build] = (requests + level.Requests, seconds + level.Seconds, errors + level.Errors);
                rate[build] = level.RequestsPerSecond;
            }
            ratios.Add(rate["native binary"] / rate["JIT build"]);
        }
        List<Load> builds = [];
        foreach (var (build, all) in latencies)
        {
            all.Sort();
            var (requests, seconds, errors) = totals[build];
            builds.Add(new Load(build, query, clients, requests / seconds, Stats.Percentile(all, 0.50), Stats.Percentile(all, 0.99), errors));
        }
        return (builds, ratios);
    }

    private static async Task<(string, Process, string)> StartAsync(string build, bool native, string kubeconfig, string caFile,
        System.Security.Cryptography.X509Certificates.X509Certificate2 admin)
    {
        var port = HttpLoad.FreePort();
        var info = new ProcessStartInfo(native ? ServerMemory.NativeBinary! : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (native ? [] : new[] { Path.Combine(AppContext.BaseDirectory, "kubediscovery.dll") }).Concat(
        [
            "--kubeconfig", kubeconfig, "--secure-port", port.ToString(CultureInfo.InvariantCulture), "--bind-address", "127.0.0.1",
            "--authentication-skip-lookup", "--client-ca-file", caFile, "--log-level", "Warning",
        ]))
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment.Remove("KUBECONFIG");
        var server = Process.Start(info)!;
        _ = server.StandardOutput.ReadToEndAsync();
        var errors = server.StandardError.ReadToEndAsync();
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        handler.ClientCertificates.Add(admin);
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var url = $"https://127.0.0.1:{port}";
        await ServerMemory.UntilReadyAsync(http, url, server, errors, Stopwatch.StartNew(), TimeSpan.FromMinutes(3), TimeSpan.FromMilliseconds(50));
        return (build, server, url);
    }
}
