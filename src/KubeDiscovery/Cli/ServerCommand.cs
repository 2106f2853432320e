using System.CommandLine;
using KubeDiscovery.Hosting;
using KubeDiscovery.Security;

namespace KubeDiscovery.Cli;

/// <summary>
/// The <c>kubediscovery</c> command line. Each options record owns its flags, defaults and validation;
/// this class only puts them together, runs the server and maps failures to exit codes:
/// 0 normal stop, 1 start-up failure (bad snapshot, bad certificate, unreachable cluster), 2 bad usage.
/// </summary>
internal static class ServerCommand
{
    public const int ExitUsage = 2;
    public const int ExitStartupFailure = 1;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var serving = new ServingOptions.Flags();
        var source = new SourceOptions.Flags();
        var security = new SecurityOptions.Flags();
        var logging = new LoggingOptions.Flags();
        var history = new HistoryOptions.Flags();
        var root = new RootCommand("KubeDiscovery: a Kubernetes aggregated API server answering what objects are composed of, connected to, and what points at nothing.");
        foreach (var option in serving.All.Concat(source.All).Concat(security.All).Concat(logging.All).Concat(history.All)) root.Options.Add(option);

        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            await stderr.WriteLineAsync($"kubediscovery: {OneLine(result.Errors[0].Message)} (see --help)");
            return ExitUsage;
        }

        root.SetAction(async (parsed, ct) =>
        {
            var sourceOptions = source.Read(parsed);
            var options = new ServerOptions(serving.Read(parsed, sourceOptions.IsLive), sourceOptions, security.Read(parsed), logging.Read(parsed), history.Read(parsed));
            if (options.Validate() is { } usageError)
            {
                await stderr.WriteLineAsync($"kubediscovery: {usageError} (see --help)");
                return ExitUsage;
            }
            return await RunServerAsync(options, stderr, ct);
        });

        // The host handles SIGTERM and SIGINT itself (a graceful stop that can outlast System.CommandLine's 2 s grace).
        return await result.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, ProcessTerminationTimeout = null }, cancellationToken);
    }

    private static async Task<int> RunServerAsync(ServerOptions options, TextWriter stderr, CancellationToken ct)
    {
        Microsoft.AspNetCore.Builder.WebApplication app;
        try
        {
            app = await ServerHost.BuildAsync(options, ct);
        }
        catch (ServerStartupException e)
        {
            await stderr.WriteLineAsync($"kubediscovery: {e.Message}");
            return ExitStartupFailure;
        }

        await using (app)
        {
            try
            {
                await app.StartAsync(ct);
            }
            catch (ServerStartupException e)
            {
                await stderr.WriteLineAsync($"kubediscovery: {e.Message}");
                return ExitStartupFailure;
            }
            catch (Exception e) when (e is IOException or Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                await stderr.WriteLineAsync($"kubediscovery: cannot listen on {options.Serving.BindAddress}:{options.Serving.SecurePort}: {e.Message}");
                return ExitStartupFailure;
            }
            await app.WaitForShutdownAsync(ct);
        }
        return 0;
    }

    // Parser messages may list suggestions on further lines; usage errors stay on one line.
    private static string OneLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 1 ? lines[0] : $"{lines[0]} {string.Join(", ", lines[1..])}";
    }
}
