using System.Diagnostics;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>A command that keeps running (kubectl -w), read line by line as it prints; killed on dispose.</summary>
internal sealed class StreamingProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly SemaphoreSlim _printed = new(0);

    public StreamingProcess(string file, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["KUBECONFIG"] = "/dev/null";
        info.Environment["HOME"] = Path.GetTempPath();
        _process = Process.Start(info)!;
        _process.StandardInput.Close();
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data is null ? null : "stderr: " + e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Lines
    {
        get { lock (_lines) return [.. _lines]; }
    }

    /// <summary>Waits until a line matching <paramref name="match"/> has been printed; fails with everything printed after <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForLine(Func<string, bool> match, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var found = Lines.FirstOrDefault(match);
            if (found is not null) return found;
            var left = timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero || _process.HasExited && !await _printed.WaitAsync(0))
            {
                throw new TimeoutException($"no such line after {clock.Elapsed.TotalSeconds:0.0}s; printed:\n{string.Join('\n', Lines)}");
            }
            await _printed.WaitAsync(left);
        }
    }

    private void Add(string? line)
    {
        if (line is null) return;
        lock (_lines) _lines.Add(line);
        _printed.Release();
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
        _printed.Dispose();
    }
}
