using System.Diagnostics;

namespace KubeDiscovery.EndToEnd.Tests;

public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs a command to completion with a timeout, capturing its output.</summary>
internal static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(string file, IEnumerable<string> args, TimeSpan? timeout = null, IDictionary<string, string?>? env = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in env ?? new Dictionary<string, string?>())
        {
            if (value is null) info.Environment.Remove(key); else info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        process.StandardInput.Close(); // kubectl must never wait for a prompt
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in time");
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    // The native binary this build of the suite runs the server as (KubeDiscovery.EndToEnd.Native.Tests names
    // it), or none: the JIT build copied beside the tests, run with dotnet.
    private static readonly string? NativeServer = typeof(ProcessRunner).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .OfType<System.Reflection.AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "ServerBinary")?.Value;

    /// <summary>What to start for the server: the native binary, or <c>dotnet</c>.</summary>
    public static string ServerFile => NativeServer ?? "dotnet";

    /// <summary>The server's arguments after <see cref="ServerFile"/>: <c>kubediscovery.dll …</c> for the JIT build.</summary>
    public static string[] Server(params string[] args) => NativeServer is not null ? args : [Path.Combine(AppContext.BaseDirectory, "kubediscovery.dll"), .. args];
}
