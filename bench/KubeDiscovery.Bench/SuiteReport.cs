using System.Text.Json.Serialization;
using KubeDiscovery.Bench.Suites;

namespace KubeDiscovery.Bench;

/// <summary>Everything one suite run measured: the JSON report, and the source of the Markdown one.</summary>
internal sealed record SuiteReport(int[] Sizes, int Runs, int Cpus, string Runtime, DateTimeOffset Started)
{
    public List<Ingest.IngestResult> Ingest { get; init; } = [];
    public List<QueryRunner.Measurement> Query { get; init; } = [];
    public List<HttpLoad.HttpResult> Http { get; init; } = [];
    public List<BuildsHttps.BuildsResult> Builds { get; init; } = [];
    public List<LiveCluster.LiveResult> Live { get; init; } = [];
    public List<ServerMemory.MemoryResult> Memory { get; init; } = [];
    public List<HistoryBench.HistoryResult> History { get; init; } = [];
    public List<RecordingBench.RecordingResult> Recording { get; init; } = [];
    public List<SearchBench.SearchResult> Search { get; init; } = [];
    public List<ApplicationsBench.ApplicationsResult> Applications { get; init; } = [];
    public List<UiBench.UiResult> Ui { get; init; } = [];
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(SuiteReport))]
[JsonSerializable(typeof(Ingest.IngestResult))]
[JsonSerializable(typeof(HttpLoad.HttpResult))]
[JsonSerializable(typeof(BuildsHttps.BuildsResult))]
[JsonSerializable(typeof(LiveCluster.LiveResult))]
[JsonSerializable(typeof(ServerMemory.MemoryResult))]
[JsonSerializable(typeof(HistoryBench.HistoryResult))]
[JsonSerializable(typeof(RecordingBench.RecordingResult))]
[JsonSerializable(typeof(SearchBench.SearchResult))]
[JsonSerializable(typeof(ApplicationsBench.ApplicationsResult))]
[JsonSerializable(typeof(UiBench.UiResult))]
internal sealed partial class BenchJson : JsonSerializerContext
{
    /// <summary>For report.json, which people read.</summary>
    public static BenchJson Indented { get; } = new(new System.Text.Json.JsonSerializerOptions
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    });
}
