using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace KubeDiscovery.TestDoubles;

/// <summary>
/// A throwaway PostgreSQL server (Debian's <c>postgresql</c>, which <c>.ci/run</c> installs when missing):
/// initdb into a temporary directory, pg_ctl start on a free loopback port, stopped and removed after the
/// tests. Run as the <c>postgres</c> user when the tests run as root, since initdb refuses root.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private string _directory = "";
    private string _bin = "";
    private int _databases;

    public int Port { get; private set; }

    private PostgresServer()
    {
    }

    /// <summary>Starts a server (about two seconds): initdb, then pg_ctl start.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var server = new PostgresServer();
        try
        {
            await server.InitializeAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task InitializeAsync()
    {
        _bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).Order().LastOrDefault() ?? ""
            : "";
        if (_bin.Length == 0) throw new InvalidOperationException("PostgreSQL is not installed (Debian: apt-get install postgresql; .ci/run does this)");
        _directory = Directory.CreateTempSubdirectory("kd-postgres-").FullName;
        if (Environment.UserName == "root") await RunAsync("chown", ["-R", "postgres", _directory]);
        Port = FreePort();
        await RunPostgresAsync("initdb", ["-D", Path.Combine(_directory, "data"), "-A", "trust", "-U", "postgres", "--no-sync"]);
        await RunPostgresAsync("pg_ctl", ["-D", Path.Combine(_directory, "data"), "-w", "-l", Path.Combine(_directory, "log"),
            "-o", $"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off", "start"]);
    }

    /// <summary>A new, empty database on the server, as a connection string.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        var name = $"history_{Interlocked.Increment(ref _databases)}";
        await using var admin = new NpgsqlConnection(ConnectionString("postgres"));
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    private string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, Pooling = false }.ToString();

    public async ValueTask DisposeAsync()
    {
        if (_directory.Length == 0) return;
        try
        {
            await RunPostgresAsync("pg_ctl", ["-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "stop"]);
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private Task RunPostgresAsync(string tool, string[] args) =>
        Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args])
            : RunAsync(Path.Combine(_bin, tool), args);

    private static async Task RunAsync(string file, string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(bound.Token);
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await error}{await output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
