using System.Globalization;

namespace KubeDiscovery.Bench;

internal sealed record SuiteOptions(int[] Sizes, int Runs, string Output, bool SkipQuery)
{
    public static SuiteOptions Parse(string[] args)
    {
        var sizes = new[] { 10_000, 100_000, 1_000_000 };
        var runs = 3;
        var output = Path.Combine("bench", "results");
        var skipQuery = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--sizes": sizes = args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--out": output = args[++i]; break;
                case "--skip-query": skipQuery = true; break;
                default: throw new ArgumentException($"unknown argument {args[i]}: use --sizes N,N,… --runs N --out DIR --skip-query");
            }
        }
        return new SuiteOptions(sizes, runs, output, skipQuery);
    }
}
