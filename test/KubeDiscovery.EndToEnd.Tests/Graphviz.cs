namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>Graphviz itself, as the judge of <c>format=dot</c> answers.</summary>
internal static class Graphviz
{
    /// <summary>Renders <paramref name="dot"/> to SVG; fails the test on any error or warning.</summary>
    public static async Task<string> SvgAsync(string dot)
    {
        var file = Path.Combine(Path.GetTempPath(), $"kd-{Guid.NewGuid():N}.dot");
        await File.WriteAllTextAsync(file, dot);
        try
        {
            var svg = await ProcessRunner.RunAsync("dot", ["-Tsvg", file]);
            svg.ExitCode.ShouldBe(0, svg.Stderr);
            svg.Stderr.ShouldBeEmpty(); // no warnings either
            return svg.Stdout;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
