using System.Diagnostics;
using System.Text.Json;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>The demo server with <c>--logging-format=json</c>, at debug level so every answer is logged.</summary>
public sealed class JsonLoggingDemoServer : ServerProcess
{
    protected override string[] SourceArgs => ["--demo", "--logging-format", "json", "-v", "2"];
}

/// <summary>Structured logs, as a log pipeline reads them: one JSON object per line, the request's verb, path and user in its scope.</summary>
public sealed class LoggingFormatTests(JsonLoggingDemoServer server) : IClassFixture<JsonLoggingDemoServer>
{
    [Fact]
    public async Task JsonLogs_AreOneObjectPerLine_AndCarryTheRequestsPathAndUser()
    {
        const string path = "/apis/kubediscovery.io/v1/namespaces/web/pods/debug-shell/connections";
        (await server.Http.GetAsync(server.Url + path)).EnsureSuccessStatusCode();

        // The answer is logged after it is sent: wait for the line, never for a fixed time.
        var clock = Stopwatch.StartNew();
        JsonElement? answered = null;
        while (answered is null)
        {
            // Nullable, so "not logged yet" is null rather than an empty default element.
            answered = Lines().Where(l => l.GetProperty("Category").GetString() == "KubeDiscovery.Api.KubernetesErrorsMiddleware"
                && l.GetProperty("Message").GetString()!.Contains(path, StringComparison.Ordinal)).Select(l => (JsonElement?)l).FirstOrDefault();
            if (answered is null)
            {
                clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), "the answer was never logged:\n" + server.Output);
                await Task.Delay(20);
            }
        }

        var line = answered.Value;
        line.GetProperty("LogLevel").GetString().ShouldBe("Debug");
        line.GetProperty("Message").GetString().ShouldBe($"GET {path} answered 200");
        line.GetProperty("Timestamp").GetString()!.ShouldEndWith("Z");
        var scope = line.GetProperty("Scopes").EnumerateArray().Single(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("path", out _));
        (scope.GetProperty("verb").GetString(), scope.GetProperty("path").GetString(), scope.GetProperty("user").GetString()).ShouldBe(("GET", path, "e2e-admin"));
    }

    [Fact]
    public void EveryLineOfTheLog_IsJson()
    {
        var lines = server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        lines.ShouldNotBeEmpty();
        foreach (var text in lines)
        {
            Should.NotThrow(() => JsonDocument.Parse(text), text);
        }
        Lines().ShouldContain(l => l.GetProperty("Message").GetString()!.StartsWith("Loaded the bundled demo cluster", StringComparison.Ordinal));
    }

    private List<JsonElement> Lines() =>
        server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToList();
}
