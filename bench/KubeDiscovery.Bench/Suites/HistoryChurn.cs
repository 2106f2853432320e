using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.Bench.Suites;

/// <summary>
/// Sustained churn against a server recording history, as issue 24 measured it on a real cluster: patches to
/// objects picked at random, at a steady rate, each a change history keeps (an annotation). A watch on
/// <c>changes</c> (<c>kubectl get changes -A -w</c>) says when each patch became a visible version; what it never
/// shows is lost. The server's resident set is read every second meanwhile.
/// </summary>
internal static class HistoryChurn
{
    /// <param name="Patches">Patches written.</param>
    /// <param name="Lost">Patches whose version the watch had not shown 30 s after the last patch.</param>
    /// <param name="RssMiB">The resident set at the end of the churn.</param>
    /// <param name="PeakRssMiB">The largest resident set read during it.</param>
    public sealed record ChurnResult(int Patches, double Seconds, int Lost, double MedianMs, double P99Ms, double RssMiB, double PeakRssMiB);

    private static readonly HashSet<string> Kinds = ["Deployment", "ConfigMap", "Service", "Pod"];

    public static async Task<ChurnResult> RunAsync(FakeStore store, HttpClient http, string url, int serverPid, int patches, TimeSpan over)
    {
        var targets = store.Snapshot()
            .Where(x => Kinds.Contains(x.Resource.Kind))
            .Select(x => (x.Resource.Group, x.Resource.Kind, Namespace: x.Object["metadata"]?["namespace"]?.GetValue<string>(), Name: x.Object["metadata"]!["name"]!.GetValue<string>()))
            .ToList();
        var applied = new System.Collections.Concurrent.ConcurrentDictionary<string, long>(StringComparer.Ordinal); // "name@rv" → when
        var latencies = new List<double>();
        using var stop = new CancellationTokenSource();

        // The watch first, from the history's newest row, so every patch's version comes after it.
        using var list = await http.GetAsync(url + "/apis/kubediscovery.io/v1/changes?limit=1");
        list.EnsureSuccessStatusCode();
        var from = JsonNode.Parse(await list.Content.ReadAsStringAsync())!["metadata"]!["resourceVersion"]!.GetValue<string>();
        using var watch = await http.GetAsync($"{url}/apis/kubediscovery.io/v1/changes?watch=true&resourceVersion={from}&timeoutSeconds=3600",
            HttpCompletionOption.ResponseHeadersRead);
        watch.EnsureSuccessStatusCode();
        var reading = Task.Run(async () =>
        {
            using var reader = new StreamReader(await watch.Content.ReadAsStreamAsync());
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                var seen = Stopwatch.GetTimestamp();
                using var e = JsonDocument.Parse(line);
                var strings = new HashSet<string>(StringComparer.Ordinal);
                Strings(e.RootElement, strings);
                foreach (var key in strings.Where(s => s.Contains('@', StringComparison.Ordinal)).ToList()) strings.Remove(key);
                // The version's object: its name and its resourceVersion are both somewhere in the event.
                foreach (var name in strings)
                {
                    foreach (var rv in strings)
                    {
                        if (applied.TryRemove($"{name}@{rv}", out var at))
                        {
                            lock (latencies) latencies.Add(Stopwatch.GetElapsedTime(at, seen).TotalMilliseconds);
                        }
                    }
                }
            }
        });

        var random = new Random(24);
        var clock = Stopwatch.StartNew();
        var peak = 0.0;
        var nextRead = TimeSpan.Zero;
        for (var i = 0; i < patches; i++)
        {
            // Paced: patch i is due at i/rate; a late one goes at once, so the rate holds on average.
            var due = over * i / patches;
            // The clock read once: read twice, the wait could pass zero between the test and the delay.
            if (due - clock.Elapsed is { Ticks: > 0 } wait) await Task.Delay(wait);
            var (group, kind, ns, name) = targets[random.Next(targets.Count)];
            var obj = store.Get(group, kind, ns, name)!;
            var metadata = obj["metadata"]!.AsObject();
            if (metadata["annotations"] is not JsonObject annotations) metadata["annotations"] = annotations = [];
            annotations["bench.kubediscovery.io/churn"] = i.ToString(CultureInfo.InvariantCulture);
            var written = store.Apply(obj);
            applied[$"{name}@{written["metadata"]!["resourceVersion"]!.GetValue<string>()}"] = Stopwatch.GetTimestamp();
            if (clock.Elapsed >= nextRead)
            {
                peak = Math.Max(peak, Rss(serverPid));
                nextRead += TimeSpan.FromSeconds(1);
            }
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var rss = Rss(serverPid);
        peak = Math.Max(peak, rss);

        var waited = Stopwatch.StartNew();
        while (!applied.IsEmpty && waited.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(50);
        await stop.CancelAsync();
        try
        {
            await reading;
        }
        catch (OperationCanceledException)
        {
            // the watch was cut on purpose
        }
        var sorted = latencies.Order().ToList();
        return new ChurnResult(patches, seconds, applied.Count, Stats.Median(sorted), Stats.Percentile(sorted, 0.99), rss, peak);
    }

    private static void Strings(JsonElement e, HashSet<string> into)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                into.Add(e.GetString()!);
                break;
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject()) Strings(p.Value, into);
                break;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray()) Strings(item, into);
                break;
        }
    }

    private static double Rss(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024).First();
}
