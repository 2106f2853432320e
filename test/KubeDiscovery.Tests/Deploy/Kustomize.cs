using System.Diagnostics;

namespace KubeDiscovery.Tests.Deploy;

/// <summary>kubectl's own kustomize, rendering an install variant under <c>deploy/</c> as <c>kubectl apply -k</c> would.</summary>
internal static class Kustomize
{
    public static string Render(string variant)
    {
        var info = new ProcessStartInfo("kubectl", ["kustomize", Path.Combine(AppContext.BaseDirectory, "deploy", variant)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["KUBECONFIG"] = "/dev/null";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, $"kubectl kustomize {variant}: {error}");
        return output.Result;
    }
}
