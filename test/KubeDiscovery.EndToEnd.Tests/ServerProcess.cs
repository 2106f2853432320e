using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>The real kubediscovery executable, started on a free loopback port and stopped after the tests.</summary>
public abstract class ServerProcess : IAsyncLifetime
{
    private Process? _process;
    private readonly StringBuilder _output = new();

    protected abstract string[] SourceArgs { get; }

    /// <summary>Authentication flags; by default the PKI's CAs (a live server reads them from the cluster instead).</summary>
    protected virtual string[] SecurityArgs => Pki.ServerFlags;

    /// <summary>The cluster's certificates: kubectl and <see cref="Http"/> act as its admin.</summary>
    public ClusterPki Pki { get; } = new();

    public int Port { get; private set; }

    /// <summary>The server's process id (for reading its memory in /proc).</summary>
    public int Pid => _process?.Id ?? throw new InvalidOperationException("not started");

    public string Url => $"https://127.0.0.1:{Port}";

    /// <summary>An HTTP client that trusts the server's self-signed certificate and authenticates as the admin.</summary>
    public HttpClient Http => _http ??= ClusterPki.Client(Pki.Admin);
    private HttpClient? _http;

    /// <summary>The client that asks the health path while the server starts.</summary>
    protected virtual HttpClient ProbeClient => Http;

    /// <summary>The health path the start waits for: <c>/readyz</c>, or <c>/livez</c> for tests of the unsynced server.</summary>
    protected virtual string StartedPath => "/readyz";

    /// <summary>Runs before the process starts (a fake cluster to point it at, for instance).</summary>
    protected virtual Task BeforeStartAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        await BeforeStartAsync();
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            try
            {
                await StartProcessAsync();
                return;
            }
            catch (PortTakenException) when (attempt < 5)
            {
                // Another process (a browser, its driver, kubectl proxy) took the free port between the check
                // and the server's bind: start again on another.
                _process!.Dispose();
                _process = null;
                lock (_output) _output.Clear();
            }
        }
    }

    private sealed class PortTakenException(string message) : InvalidOperationException(message);

    /// <summary>Stops the process as kubelet does (SIGTERM), runs <paramref name="meanwhile"/>, and starts it again on the same port.</summary>
    public async Task RestartAsync(Func<Task>? meanwhile = null)
    {
        Terminate();
        (await ExitCodeAsync(TimeSpan.FromSeconds(60))).ShouldBe(0, Output);
        _process!.Dispose();
        _process = null;
        if (meanwhile is not null) await meanwhile();
        await StartProcessAsync();
    }

    private async Task StartProcessAsync()
    {
        var info = new ProcessStartInfo(ProcessRunner.ServerFile) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // Never the machine's own cluster.
        info.Environment.Remove("KUBECONFIG");
        info.Environment.Remove("KUBERNETES_SERVICE_HOST");
        foreach (var arg in ProcessRunner.Server([.. SourceArgs, .. SecurityArgs, "--secure-port", Port.ToString(), "--bind-address", "127.0.0.1"])) info.ArgumentList.Add(arg);
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var started = System.Diagnostics.Stopwatch.StartNew();
        // A bound for a broken start, not a guess at a normal one: a 100,000-object snapshot on a busy 2-CPU
        // machine (other servers starting, a build beside it) once took over a minute to load.
        while (started.Elapsed < TimeSpan.FromSeconds(180))
        {
            if (_process.HasExited)
            {
                _process.WaitForExit(); // and for the last of its output
                var message = $"the server exited with {_process.ExitCode}:\n{Output}";
                throw Output.Contains("the address is already in use", StringComparison.Ordinal) ? new PortTakenException(message) : new InvalidOperationException(message);
            }
            try
            {
                using var response = await ProbeClient.GetAsync(Url + StartedPath);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the server did not become ready:\n{Output}");
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Runs the real kubectl against this server as the admin, by client certificate (no kubeconfig of the machine is read).</summary>
    public Task<ProcessResult> Kubectl(params string[] args) =>
        KubectlWith(["--client-certificate", Pki.AdminCertFile, "--client-key", Pki.AdminKeyFile], args);

    /// <summary>Runs the real kubectl with the given credential flags.</summary>
    public Task<ProcessResult> KubectlWith(string[] credentials, params string[] args) =>
        ProcessRunner.RunAsync("kubectl",
            ["--server", Url, "--insecure-skip-tls-verify", .. credentials, .. args],
            env: new Dictionary<string, string?> { ["KUBECONFIG"] = "/dev/null", ["HOME"] = Path.GetTempPath() });

    public async Task<string> GetRaw(string path)
    {
        var result = await Kubectl("get", "--raw", path);
        result.ExitCode.ShouldBe(0, $"kubectl get --raw {path} failed: {result.Stderr}");
        return result.Stdout;
    }

    /// <summary>Sends SIGTERM, as kubelet does to stop a Pod.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        kill.ExitCode.ShouldBe(0);
    }

    /// <summary>The exit code, once the process has exited; fails past <paramref name="bound"/>.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan bound)
    {
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            await _process!.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the server did not exit within {bound}:\n{Output}");
        }
        return _process.ExitCode;
    }

    public virtual async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        _http?.Dispose();
        Pki.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The server on the bundled sample cluster.</summary>
public sealed class DemoServer : ServerProcess
{
    protected override string[] SourceArgs => ["--demo"];
}

/// <summary>The server on the objects recorded from a real kube-apiserver 1.19.</summary>
public sealed class RecordedClusterServer : ServerProcess
{
    protected override string[] SourceArgs => ["--snapshot", Path.Combine(AppContext.BaseDirectory, "fixtures", "kube-apiserver-1.19", "objects")];
}
