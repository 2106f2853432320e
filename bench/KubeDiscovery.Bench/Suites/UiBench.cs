using System.Text;
using System.Text.Json;
using KubeDiscovery.Bench.Generator;
using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.Bench.Suites;

/// <summary>
/// The web view in Debian's headless Chromium against the real server (in this process, over TLS) on a
/// generated cluster: the first paint of a 1,111-node composition, and a Secret's neighbourhood of 10,000
/// objects (9,999 Pods mounting it) — when it is drawn, how long the page's main thread was ever busy at
/// once, and how soon the finder answers while it loads. Each run is a fresh browser with an empty cache.
/// </summary>
internal static class UiBench
{
    public const int TreeFanOut = 10; // three levels of 10 under the root: 1,111 nodes
    private const string TreeRoot = "tree-root";

    public sealed record PageRun(double DrawnMs, double? RefinedMs, string Layout, double LongestTaskMs, int LongTasks, double? SearchAnsweredMs, Dictionary<string, double> Marks);

    public sealed record UiResult(int Objects, int CompositionNodes, int NeighbourhoodNodes, List<PageRun> Composition, List<PageRun> Neighbourhood);

    public static async Task<UiResult> RunAsync(int objects, int runs)
    {
        var cache = Ingest.NewCache();
        Ingest.Fill(cache, objects);
        ConnectionBenchmarks.AddSecretMountedBy(cache, 9_999);
        var treeNodes = AddConfigMapTree(cache);

        var directory = Directory.CreateTempSubdirectory("kd-bench-ui-").FullName;
        try
        {
            var (app, port, _, _, _) = await HttpLoad.StartServerAsync(cache, directory);
            await using var _ = app;
            var ui = $"https://127.0.0.1:{port}/apis/kubediscovery.io/v1/ui/";
            var ns = ClusterGenerator.QueryNamespace;
            List<PageRun> composition = [];
            List<PageRun> neighbourhood = [];
            for (var run = 0; run < runs; run++)
            {
                composition.Add(Measure(directory, $"{ui}#/composition/ConfigMap/{ns}/{TreeRoot}", "composition-drawn", search: null));
                neighbourhood.Add(Measure(directory, $"{ui}#/connections/Secret/{ns}/shared-ca?depth=1&direction=in", "connections-drawn", search: "mounter-4242"));
            }
            await app.StopAsync();
            return new UiResult(cache.Index.Count, treeNodes, 10_000, composition, neighbourhood);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static PageRun Measure(string directory, string url, string drawnMark, string? search)
    {
        var profile = Directory.CreateTempSubdirectory("kd-bench-chromium-").FullName;
        using var driver = Chromium.Start(profile);
        try
        {
            // Long tasks (main thread busy over 50 ms) are recorded from the start by an observer the
            // browser installs before the page's own scripts run; on the neighbourhood page the same script
            // types into the finder 1.5 s in, while the 10,000 objects are still going into the graph (the
            // page marks the keystroke's input event and the results shown).
            var typing = search is null ? "" :
                $"setTimeout(() => {{ const i = document.getElementById('search'); i.value = '{search}'; i.dispatchEvent(new Event('input')); }}, 1500);";
            driver.ExecuteCdpCommand("Page.addScriptToEvaluateOnNewDocument", new Dictionary<string, object?>
            {
                ["source"] = "window.kdLong=[];new PerformanceObserver(l=>{for(const e of l.getEntries())window.kdLong.push(e.duration)}).observe({type:'longtask'});"
                    + (typing.Length == 0 ? "" : $"addEventListener('load', () => {{ {typing} }});"),
            });
            driver.Navigate().GoToUrl(url);
            double? searchMs = null;
            if (search is not null)
            {
                Wait(driver, "return performance.getEntriesByName('search-shown').length > 0", TimeSpan.FromSeconds(60));
                searchMs = Convert.ToDouble(driver.ExecuteScript(
                    "return performance.getEntriesByName('search-shown')[0].startTime - performance.getEntriesByName('search-typed')[0].startTime"),
                    System.Globalization.CultureInfo.InvariantCulture);
            }
            Wait(driver, $"return performance.getEntriesByName('{drawnMark}').length > 0", TimeSpan.FromSeconds(120));
            var layout = (string)driver.ExecuteScript("return document.getElementById('graph').dataset.firstLayout")!;
            // The page says whether dagre's better layout is still to come (the worker's rule, not repeated here).
            Wait(driver, "return document.getElementById('graph').dataset.refining === undefined", TimeSpan.FromSeconds(120));
            var json = (string)driver.ExecuteScript($$"""
                const mark = (n) => performance.getEntriesByName(n)[0]?.startTime ?? null;
                const marks = Object.fromEntries(performance.getEntriesByType('mark').reverse().map((m) => [m.name, m.startTime]));
                return JSON.stringify({ drawn: mark('{{drawnMark}}'), refined: mark('layout-refined'), long: window.kdLong, marks });
                """)!;
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var longTasks = root.GetProperty("long").EnumerateArray().Select(e => e.GetDouble()).ToList();
            return new PageRun(root.GetProperty("drawn").GetDouble(),
                root.GetProperty("refined").ValueKind == JsonValueKind.Number ? root.GetProperty("refined").GetDouble() : null,
                layout, longTasks.Count == 0 ? 0 : longTasks.Max(), longTasks.Count, searchMs,
                root.GetProperty("marks").EnumerateObject().ToDictionary(m => m.Name, m => Math.Round(m.Value.GetDouble())));
        }
        finally
        {
            driver.Quit();
            Directory.Delete(profile, recursive: true);
        }
    }

    private static void Wait(OpenQA.Selenium.Chrome.ChromeDriver driver, string condition, TimeSpan bound)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!(bool)driver.ExecuteScript(condition)!)
        {
            if (clock.Elapsed > bound) throw new TimeoutException($"not within {bound}: {condition}");
            Thread.Sleep(20);
        }
    }

    /// <summary>A ConfigMap owning 10, each owning 10, each owning 10: 1,111 nodes, none of them collapsed.</summary>
    private static int AddConfigMapTree(Graph.ClusterCache cache)
    {
        var ns = ClusterGenerator.QueryNamespace;
        var page = new StringBuilder("""{"kind":"ConfigMapList","apiVersion":"v1","metadata":{},"items":[""");
        var count = 0;
        void Add(string name, string? owner)
        {
            if (count++ > 0) page.Append(',');
            var owners = owner is null ? "" : $$$""","ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"{{{owner}}}","uid":"uid-{{{owner}}}"}]""";
            page.Append($$$"""{"metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","uid":"uid-{{{name}}}"{{{owners}}}}}""");
        }
        Add(TreeRoot, null);
        for (var a = 0; a < TreeFanOut; a++)
        {
            Add($"tree-{a}", TreeRoot);
            for (var b = 0; b < TreeFanOut; b++)
            {
                Add($"tree-{a}-{b}", $"tree-{a}");
                for (var c = 0; c < TreeFanOut; c++) Add($"tree-{a}-{b}-{c}", $"tree-{a}-{b}");
            }
        }
        page.Append("]}");
        var type = cache.Catalog.FindByKind("", "ConfigMap")!;
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(page.ToString()));
        foreach (var record in cache.Reader.ReadListPage(ref reader, type).Items) cache.Index.Upsert(record);
        return count;
    }
}
