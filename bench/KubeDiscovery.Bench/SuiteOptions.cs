using System.Globalization;

namespace KubeDiscovery.Bench;

internal sealed record SuiteOptions(int[] Sizes, int Runs, string Output, bool SkipQuery, IReadOnlySet<string> Only)
{
    public static readonly string[] Parts = ["ingest", "query", "connections", "http", "builds", "live", "memory", "history", "recording", "search", "ui", "applications"];

    /// <summary>Whether <paramref name="part"/> runs: every part unless --only names some.</summary>
    public bool Includes(string part) => (Only.Count == 0 || Only.Contains(part)) && !(part == "query" && SkipQuery);

    public static SuiteOptions Parse(string[] args)
    {
        var sizes = new[] { 10_000, 100_000, 1_000_000 };
        var runs = 3;
        var output = Path.Combine("bench", "results");
        var skipQuery = false;
        var only = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--sizes": sizes = args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--out": output = args[++i]; break;
                case "--skip-query": skipQuery = true; break;
                case "--only":
                    foreach (var part in args[++i].Split(','))
                    {
                        if (!Parts.Contains(part)) throw new ArgumentException($"--only {part}: the parts are {string.Join(", ", Parts)}");
                        only.Add(part);
                    }
                    break;
                default: throw new ArgumentException($"unknown argument {args[i]}: use --sizes N,N,… --runs N --out DIR --skip-query --only {string.Join("|", Parts)}");
            }
        }
        return new SuiteOptions(sizes, runs, output, skipQuery, only);
    }
}
