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
/// and process per query. The two builds take turns per query and concurrency, so a busy machine weighs
/// on both alike.
/// </summary>
internal static class BuildsHttps
{
    public sealed record Load(string Build, string Query, int Clients, double RequestsPerSecond, double P50Ms, double P99Ms, int Errors);

    public sealed record Kubectl(string Build, double MedianMs, double MinMs);

    public sealed record BuildsResult(int Objects, List<Load> Loads, List<Kubectl> Kubectl);

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
            foreach (var (query, path) in Queries)
            {
                foreach (var clients in query == Queries[0].Name ? concurrency : [4])
                {
                    foreach (var (build, _, url) in servers)
                    {
                        var level = await HttpLoad.LoadAsync(url + path, admin, clients, duration);
                        loads.Add(new Load(build, query, clients, level.RequestsPerSecond, level.P50Ms, level.P99Ms, level.Errors));
                        Console.Error.WriteLine($"{build}, {query}, {clients} clients: {level.RequestsPerSecond:N0}/s, p50 {level.P50Ms:0.00} ms, p99 {level.P99Ms:0.00} ms");
                    }
                }
            }

            var kubectl = servers.ToDictionary(s => s.Build, _ => new List<double>());
            for (var run = 0; run < kubectlRuns; run++)
            {
                foreach (var (build, _, url) in servers) kubectl[build].Add(await HttpLoad.KubectlGetRawAsync(url, certFile, keyFile, directory));
            }
            return new BuildsResult(store.Snapshot().Count, loads, [.. kubectl.Select(k => new Kubectl(k.Key, Stats.Median(k.Value), k.Value.Min()))]);
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
