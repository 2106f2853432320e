using System.Diagnostics;
using System.Globalization;
using KubeDiscovery.Bench.Generator;
using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.Bench.Suites;

/// <summary>
/// The real server executable following the generated cluster in the kube-apiserver double, as operators
/// see it: resident set (VmRSS, and its peak VmHWM) after the first sync and a burst of queries, and the
/// query rate, under each garbage-collector setting worth choosing between — on this machine's CPUs and
/// as if on a 16-core node (<c>DOTNET_PROCESSOR_COUNT</c>, which is what the GC sizes its heaps by).
/// </summary>
internal static class ServerMemory
{
    /// <param name="AnonMiB">Private memory: GC heaps, native allocations, thread stacks.</param>
    /// <param name="FileMiB">Mapped files: the runtime's and the assemblies' images (shared with other .NET processes on the node).</param>
    /// <param name="SharedMiB">Shared memory: the JIT's code, mapped twice while W^X is on.</param>
    public sealed record Variant(string Name, int Cpus, double SyncSeconds, double RssMiB, double PeakRssMiB, double ManagedMiB, double RequestsPerSecond,
        double AnonMiB = 0, double FileMiB = 0, double SharedMiB = 0)
    {
        /// <summary>With history: from start until the first recording was written (nothing queued).</summary>
        public double? RecordedSeconds { get; init; }

        /// <summary>With history, on this machine's CPUs: 10,000 patches in 60 s after the first recording.</summary>
        public HistoryChurn.ChurnResult? Churn { get; init; }
    }

    public sealed record MemoryResult(int Objects, List<Variant> Variants, List<Start> Starts);

    /// <summary>The demo (bundled sample, 182 objects): from process start to <c>/readyz</c> answering 200, and the resident set idle after it.</summary>
    public sealed record Start(string Build, double MedianMs, double MinMs, double IdleRssMiB);

    private const string WithHistory = "JIT build, with --history-db (SQLite), after the first recording";
    private const string NativeWithHistory = "native binary, with --history-db (SQLite), after the first recording";

    private static readonly (string Name, Dictionary<string, string> Environment)[] Settings =
    [
        ("server GC, DATAS (the Web SDK's default)", new() { ["DOTNET_gcServer"] = "1" }),
        ("server GC, a heap per core", new() { ["DOTNET_gcServer"] = "1", ["DOTNET_GCDynamicAdaptationMode"] = "0" }),
        ("workstation GC, concurrent", new() { ["DOTNET_gcServer"] = "0" }),
        ("workstation GC, non-concurrent", new() { ["DOTNET_gcServer"] = "0", ["DOTNET_gcConcurrent"] = "0" }),
        ("JIT build (runtimeconfig: workstation, concurrent)", new()),
        // What history costs the process (issue 24): the same server recording every followed kind.
        (WithHistory, new()),
        // The shipped form (issue 24): the same settings, compiled ahead of time.
        (NativeBuild, new()),
        (NativeWithHistory, new()),
        // The other way in (issue 24): the same objects as one kubectl JSON list, managedFields and status included.
        (SnapshotJit, new()),
        (SnapshotJitWithHistory, new()),
        (SnapshotNative, new()),
        (SnapshotNativeWithHistory, new()),
    ];

    private const string SnapshotJit = "JIT build, --snapshot (kubectl's JSON list of the same objects)";
    private const string SnapshotJitWithHistory = "JIT build, --snapshot, with --history-db (SQLite), after the first recording";
    private const string SnapshotNative = "native binary, --snapshot (kubectl's JSON list of the same objects)";
    private const string SnapshotNativeWithHistory = "native binary, --snapshot, with --history-db (SQLite), after the first recording";

    private static bool IsSnapshot(string name) => name is SnapshotJit or SnapshotJitWithHistory or SnapshotNative or SnapshotNativeWithHistory;

    private static bool RecordsHistory(string name) => name is WithHistory or NativeWithHistory or SnapshotJitWithHistory or SnapshotNativeWithHistory;

    private const string NativeBuild = "native binary (Native AOT, as shipped)";

    /// <summary>
    /// The native binary to measure: <c>KUBEDISCOVERY_NATIVE_BINARY</c>, else the one the native end-to-end
    /// tests publish (<c>dotnet build test/KubeDiscovery.EndToEnd.Native.Tests</c>); null when neither exists.
    /// </summary>
    public static string? NativeBinary { get; } = new[]
    {
        Environment.GetEnvironmentVariable("KUBEDISCOVERY_NATIVE_BINARY"),
        Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../test/KubeDiscovery.EndToEnd.Native.Tests/obj/native/publish/kubediscovery")),
    }.FirstOrDefault(File.Exists);

    /// <summary>KUBEDISCOVERY_BENCH_SERVER_LOG=FILE: the measured servers log at Information, appended to FILE.</summary>
    private static string? ServerLog { get; } = Environment.GetEnvironmentVariable("KUBEDISCOVERY_BENCH_SERVER_LOG") is { Length: > 0 } f ? f : null;

    private static bool IsNative(string name) => name is NativeBuild or NativeWithHistory or SnapshotNative or SnapshotNativeWithHistory;

    public static async Task<MemoryResult> RunAsync(int objects, TimeSpan load)
    {
        var store = LiveCluster.GeneratedStore(objects, []);
        await using var cluster = await FakeKubeApiServer.StartAsync(store, Recordings.GroupOrder(Recordings.DefaultDirectory));
        cluster.BookmarkInterval = TimeSpan.FromSeconds(30);
        var directory = Directory.CreateTempSubdirectory("kd-bench-memory-").FullName;
        try
        {
            var kubeconfig = cluster.WriteKubeconfig(Path.Combine(directory, "kubeconfig"));
            var ca = TestPki.SystemClock.CreateCa("bench-client-ca");
            using var admin = TestPki.SystemClock.Issue(ca, "bench-admin", ["system:masters"]);
            var caFile = Path.Combine(directory, "client-ca.crt");
            await File.WriteAllTextAsync(caFile, TestPki.Pem(ca));

            List<Variant> variants = [];
            string? snapshot = null;
            foreach (var cpus in new[] { Environment.ProcessorCount, 16 }.Distinct())
            {
                foreach (var (name, environment) in Settings)
                {
                    if (IsNative(name) && NativeBinary is null) continue;
                    // KUBEDISCOVERY_BENCH_VARIANTS=history,native: only the variants whose name holds one of them (a quicker look).
                    if (Environment.GetEnvironmentVariable("KUBEDISCOVERY_BENCH_VARIANTS") is { Length: > 0 } only
                        && !only.Split(',').Any(part => name.Contains(part, StringComparison.Ordinal))) continue;
                    // The collector was chosen at 10k; larger clusters measure the builds as shipped.
                    if (objects > 10_000 && !name.StartsWith("JIT build", StringComparison.Ordinal) && !IsNative(name)) continue;
                    // History and snapshots cost the same on any core count: measured on this machine's (the RSS targets are history off).
                    if ((IsSnapshot(name) || RecordsHistory(name)) && cpus != Environment.ProcessorCount) continue;
                    var source = IsSnapshot(name) ? ["--snapshot", snapshot ??= WriteSnapshot(store, directory)] : new[] { "--kubeconfig", kubeconfig };
                    // KUBEDISCOVERY_BENCH_CHURN=0: no churn phase (a quicker look at the first recording).
                    // Churn on the shipped form (a minute each): the JIT build records the same way.
                    var churn = cpus == Environment.ProcessorCount && name == NativeWithHistory && Environment.GetEnvironmentVariable("KUBEDISCOVERY_BENCH_CHURN") != "0";
                    variants.Add(await MeasureAsync(name, cpus, environment, source, caFile, admin, load, churn ? store : null));
                }
            }
            List<Start> starts = [];
            if (objects <= 10_000)
            {
                starts.Add(await DemoStartAsync("JIT build", "dotnet", [Path.Combine(AppContext.BaseDirectory, "kubediscovery.dll")]));
                if (NativeBinary is not null)
                {
                    starts.Add(await DemoStartAsync("native binary", NativeBinary, []));
                    if (OneBundleTrust(directory) is { } bundleOnly) starts.Add(await DemoStartAsync("native binary, the shipped image's trust layout (the CA bundle only)", NativeBinary, [], bundleOnly));
                }
            }
            return new MemoryResult(store.Snapshot().Count, variants, starts);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<Variant> MeasureAsync(string name, int cpus, Dictionary<string, string> environment, string[] source, string caFile,
        System.Security.Cryptography.X509Certificates.X509Certificate2 admin, TimeSpan load, FakeStore? churn)
    {
        var port = HttpLoad.FreePort();
        var native = IsNative(name);
        var info = new ProcessStartInfo(native ? NativeBinary! : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var history = RecordsHistory(name) ? Directory.CreateTempSubdirectory("kd-bench-memory-history-").FullName : null;
        foreach (var arg in (native ? [] : new[] { Path.Combine(AppContext.BaseDirectory, "kubediscovery.dll") }).Concat(
        [
            .. source, "--secure-port", port.ToString(CultureInfo.InvariantCulture),
            "--bind-address", "127.0.0.1", "--authentication-skip-lookup", "--client-ca-file", caFile, "--log-level", ServerLog is null ? "Warning" : "Information",
        ]).Concat(history is null ? [] : ["--history-db", Path.Combine(history, "history.db")]))
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment.Remove("KUBECONFIG");
        info.Environment["DOTNET_PROCESSOR_COUNT"] = cpus.ToString(CultureInfo.InvariantCulture);
        foreach (var (key, value) in environment) info.Environment[key] = value;

        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        handler.ClientCertificates.Add(admin);
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var url = $"https://127.0.0.1:{port}";

        var started = Stopwatch.StartNew();
        using var server = Process.Start(info)!;
        var output = server.StandardOutput.ReadToEndAsync();
        var errors = server.StandardError.ReadToEndAsync();
        try
        {
            await UntilReadyAsync(http, url, server, errors, started, TimeSpan.FromMinutes(3), TimeSpan.FromMilliseconds(50));
            var sync = started.Elapsed.TotalSeconds;
            if (history is not null) await UntilRecordedAsync(http, url);
            var recorded = started.Elapsed.TotalSeconds;
            // For a heap dump of the recorded server (dotnet-gcdump collect -p PID): hold it until the named file exists.
            if (Environment.GetEnvironmentVariable("KUBEDISCOVERY_BENCH_HOLD") is { Length: > 0 } hold)
            {
                Console.Error.WriteLine($"holding {name}: pid {server.Id}; touch {hold} to go on");
                while (!File.Exists(hold)) await Task.Delay(500);
            }

            // A burst of queries, four clients at once, as a busy kubectl user base would send.
            var path = url + $"/apis/kubediscovery.io/v1/namespaces/{ClusterGenerator.QueryNamespace}/deployments/{ClusterGenerator.QueryDeployment}/compositions";
            var requests = 0;
            var until = Stopwatch.GetTimestamp() + (long)(load.TotalSeconds * Stopwatch.Frequency);
            await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
            {
                while (Stopwatch.GetTimestamp() < until)
                {
                    using var response = await http.GetAsync(path);
                    response.EnsureSuccessStatusCode();
                    Interlocked.Increment(ref requests);
                }
            }));
            var rate = requests / load.TotalSeconds;
            if (Environment.GetEnvironmentVariable("KUBEDISCOVERY_BENCH_HOLD_AFTER") is { Length: > 0 } after)
            {
                Console.Error.WriteLine($"holding {name} after the queries: pid {server.Id}; touch {after} to go on");
                while (!File.Exists(after)) await Task.Delay(500);
            }

            var metrics = await http.GetStringAsync(url + "/metrics");
            var managed = metrics.Split('\n').Where(l => l.StartsWith("dotnet_total_memory_bytes ", StringComparison.Ordinal))
                .Select(l => double.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture)).FirstOrDefault();
            var memory = Resident(server.Id);
            // Then sustained churn, as the issue measured it on a real cluster: 10,000 patches in 60 s.
            var churned = history is not null && churn is not null
                ? await HistoryChurn.RunAsync(churn, http, url, server.Id, patches: 10_000, over: TimeSpan.FromSeconds(60)) : null;
            return new Variant(name, cpus, sync, memory["VmRSS"], memory["VmHWM"], managed / 1048576, rate,
                memory["RssAnon"], memory["RssFile"], memory["RssShmem"])
            { RecordedSeconds = history is null ? null : recorded, Churn = churned };
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            if (ServerLog is not null) await File.AppendAllTextAsync(ServerLog, $"== {name}, {cpus} CPUs\n{await output}{await errors}");
            if (history is not null) Directory.Delete(history, recursive: true);
        }
    }

    // Five starts of the demo; each timed from Process.Start to the first 200 from /readyz (polled every 2 ms),
    // the last one's resident set read after 2 s with nothing asked of it.
    private static async Task<Start> DemoStartAsync(string build, string file, string[] prefix, string? certDirectory = null)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        List<double> ms = [];
        double idle = 0;
        for (var run = 0; run < 5; run++)
        {
            var port = HttpLoad.FreePort();
            var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in prefix.Concat(["--demo", "--secure-port", port.ToString(CultureInfo.InvariantCulture), "--log-level", "Warning"])) info.ArgumentList.Add(arg);
            info.Environment.Remove("KUBECONFIG");
            if (certDirectory is not null) info.Environment["SSL_CERT_DIR"] = certDirectory;
            var started = Stopwatch.StartNew();
            using var server = Process.Start(info)!;
            _ = server.StandardOutput.ReadToEndAsync();
            var errors = server.StandardError.ReadToEndAsync();
            try
            {
                await UntilReadyAsync(http, $"https://127.0.0.1:{port}", server, errors, started, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(2));
                ms.Add(started.Elapsed.TotalMilliseconds);
                if (run == 4)
                {
                    await Task.Delay(TimeSpan.FromSeconds(2));
                    idle = Resident(server.Id)["VmRSS"];
                }
            }
            finally
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
                var dir = Path.Combine(Path.GetTempPath(), $"kubediscovery-{port}");
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            }
        }
        return new Start(build, Stats.Median(ms), ms.Min(), idle);
    }

    // The first TLS handshake waits for the system's trusted CAs to be read (SslStreamCertificateContext
    // builds the serving certificate's chain), and .NET reads the bundle file and every file in the
    // certificate directory: on Debian with ca-certificates, the bundle, each CA's file and its hash link,
    // each CA four times. A directory holding only the bundle is the shipped image's layout: the Dockerfile's
    // runtime-deps:10.0-noble-chiseled installs chisel's ca-certificates_data slice, which keeps
    // /etc/ssl/certs/ca-certificates.crt and nothing else there (OpenSSL's cert.pem links to it, as on Debian).
    private static string? OneBundleTrust(string directory)
    {
        const string Bundle = "/etc/ssl/certs/ca-certificates.crt";
        if (!File.Exists(Bundle)) return null;
        var certs = Directory.CreateDirectory(Path.Combine(directory, "one-bundle-certs")).FullName;
        var link = Path.Combine(certs, "ca-certificates.crt");
        if (!File.Exists(link)) File.CreateSymbolicLink(link, Bundle);
        return certs;
    }

    // The cluster as `kubectl get … -o json` writes it: one List, every object whole (status and managedFields too).
    private static string WriteSnapshot(FakeStore store, string directory)
    {
        var path = Path.Combine(directory, "cluster.json");
        using var file = File.Create(path);
        using var w = new System.Text.Json.Utf8JsonWriter(file);
        w.WriteStartObject();
        w.WriteString("apiVersion", "v1");
        w.WriteStartArray("items");
        foreach (var (resource, obj) in store.Snapshot())
        {
            var metadata = obj["metadata"]!;
            store.Get(resource.Group, resource.Kind, metadata["namespace"]?.GetValue<string>(), metadata["name"]!.GetValue<string>())!.WriteTo(w);
        }
        w.WriteEndArray();
        w.WriteString("kind", "List");
        w.WriteEndObject();
        w.Flush();
        Console.Error.WriteLine($"snapshot: {file.Length / 1048576.0:0.0} MiB of JSON ({path})");
        return path;
    }

    /// <summary>Polls <c>/readyz</c> every <paramref name="every"/> until it answers 200; fails when the server exits or <paramref name="bound"/> passes.</summary>
    internal static async Task UntilReadyAsync(HttpClient http, string url, Process server, Task<string> errors, Stopwatch started, TimeSpan bound, TimeSpan every)
    {
        while (true)
        {
            if (server.HasExited) throw new InvalidOperationException($"the server exited: {await errors}");
            if (started.Elapsed > bound) throw new TimeoutException("the server never became ready");
            try
            {
                using var ready = await http.GetAsync(url + "/readyz");
                if (ready.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(every);
        }
    }

    /// <summary>Waits until the first recording is written: versions written and nothing queued, twice in a row.</summary>
    private static async Task UntilRecordedAsync(HttpClient http, string url)
    {
        var bound = Stopwatch.StartNew();
        var quiet = 0;
        while (quiet < 2)
        {
            if (bound.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException("the first recording did not finish");
            var metrics = (await http.GetStringAsync(url + "/metrics")).Split('\n');
            double Value(string metric) => metrics.Where(l => l.StartsWith(metric + " ", StringComparison.Ordinal))
                .Select(l => double.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture)).FirstOrDefault();
            quiet = Value("kubediscovery_history_versions_written_total") > 0 && Value("kubediscovery_history_queue_length") == 0 ? quiet + 1 : 0;
            await Task.Delay(500);
        }
    }

    /// <summary>The resident-set lines of a process's status (VmRSS, VmHWM, RssAnon, RssFile, RssShmem), in MiB (Linux).</summary>
    private static Dictionary<string, double> Resident(int pid)
    {
        var found = new Dictionary<string, double>(StringComparer.Ordinal) { ["VmRSS"] = 0, ["VmHWM"] = 0, ["RssAnon"] = 0, ["RssFile"] = 0, ["RssShmem"] = 0 };
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            var name = line.Split(':')[0];
            if (found.ContainsKey(name)) found[name] = Kib(line) / 1024;
        }
        return found;
    }

    private static double Kib(string line) => double.Parse(line.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
}
