using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;

namespace KubeDiscovery.Bench.Suites;

/// <summary>Runs <see cref="QueryBenchmarks"/> under BenchmarkDotNet and keeps what the report needs.</summary>
internal static class QueryRunner
{
    public sealed record Measurement(string Benchmark, int Objects, double MedianNs, double P95Ns, long AllocatedBytes);

    /// <param name="connectionsOnly">Run only <see cref="ConnectionBenchmarks"/> (<c>--only connections</c>).</param>
    public static IEnumerable<Measurement> Run(int[] sizes, string artifacts, bool connectionsOnly = false)
    {
        // The benchmark processes BenchmarkDotNet starts inherit this, and read their sizes from it.
        Environment.SetEnvironmentVariable(QueryBenchmarks.SizesVariable, string.Join(',', sizes));
        var config = ManualConfig.CreateEmpty()
            .AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(15))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(ConsoleLogger.Default)
            .WithArtifactsPath(artifacts);
        var summaries = connectionsOnly
            ? new[] { BenchmarkRunner.Run<ConnectionBenchmarks>(config) }
            : [BenchmarkRunner.Run<QueryBenchmarks>(config), BenchmarkRunner.Run<ConnectionBenchmarks>(config), BenchmarkRunner.Run<HugeTreeBenchmarks>(config)];
        foreach (var summary in summaries)
        {
            foreach (var report in summary.Reports)
            {
                if (report.ResultStatistics is not { } stats) continue;
                var objects = report.BenchmarkCase.Parameters.Items.Any(p => p.Name == "Objects")
                    ? (int)report.BenchmarkCase.Parameters["Objects"]
                    : HugeTreeBenchmarks.Pods + 1;
                yield return new Measurement(
                    report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\''),
                    objects,
                    stats.Median,
                    stats.Percentiles.P95,
                    report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? -1);
            }
        }
    }
}
