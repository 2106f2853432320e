using System.Runtime.CompilerServices;

namespace KubeDiscovery.Tests.Rendering;

/// <summary>
/// Answers pinned byte for byte in files beside the tests (<c>Rendering/Golden/</c>): a change to the wire
/// format shows as a failing test and a reviewable diff. <c>KD_UPDATE_GOLDEN=1 dotnet test</c> rewrites
/// the files from today's output, to be read before committing.
/// </summary>
internal static class Golden
{
    public static void Match(string actual, string name, [CallerFilePath] string caller = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(caller)!, "Golden", name);
        if (Environment.GetEnvironmentVariable("KD_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }
        File.Exists(path).ShouldBeTrue($"no golden file {path}: run with KD_UPDATE_GOLDEN=1 once and review it");
        actual.ShouldBe(File.ReadAllText(path));
    }
}
