namespace KubeDiscovery.EndToEnd.Tests.Ui;

/// <summary>
/// <c>kubectl proxy</c> in front of a server, as a user opens the web view: the real kubectl, with a
/// client certificate for who the user is, on a free port, under an optional path prefix.
/// </summary>
internal sealed class KubectlProxy : IDisposable
{
    private readonly StreamingProcess _process;

    private KubectlProxy(StreamingProcess process, string url)
    {
        _process = process;
        Url = url;
    }

    /// <summary>http://127.0.0.1:PORT/PREFIX — the page is at <c>{Url}apis/kubediscovery.io/v1/ui/</c>.</summary>
    public string Url { get; }

    public string Ui => $"{Url}apis/kubediscovery.io/v1/ui/";

    public int Port => new Uri(Url).Port;

    /// <param name="port">0 for any free port; a port to start again where a stopped proxy was.</param>
    public static async Task<KubectlProxy> StartAsync(ServerProcess server, string certificateFile, string keyFile, string prefix = "/", int port = 0)
    {
        var process = new StreamingProcess("kubectl",
            ["--server", server.Url, "--insecure-skip-tls-verify", "--client-certificate", certificateFile, "--client-key", keyFile,
             "proxy", $"--port={port}", $"--api-prefix={prefix}"]);
        var line = await process.WaitForLine(l => l.StartsWith("Starting to serve on ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var address = line["Starting to serve on ".Length..].Trim();
        return new KubectlProxy(process, $"http://{address}{prefix}");
    }

    public void Dispose() => _process.Dispose();
}
