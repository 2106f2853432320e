using System.CommandLine;

namespace KubeDiscovery.Hosting;

/// <summary>How much is logged and in what form: <c>-v</c>/<c>--log-level</c> and <c>--logging-format</c>.</summary>
public sealed record LoggingOptions
{
    public LogLevel Level { get; init; } = LogLevel.Information;

    public LoggingFormat Format { get; init; } = LoggingFormat.Text;

    public string? Validate() => Enum.IsDefined(Format) ? null : "--logging-format must be text or json";

    /// <summary>Kubernetes' verbosity levels: 0-1 info, 2-4 debug, 5+ trace.</summary>
    public static LogLevel FromVerbosity(int v) => v switch
    {
        <= 1 => LogLevel.Information,
        <= 4 => LogLevel.Debug,
        _ => LogLevel.Trace,
    };

    internal sealed class Flags
    {
        private readonly Option<int?> _verbosity = new("-v", "--v")
        {
            CustomParser = result => Cli.FlagParsing.ParseInt(result, "a verbosity level (0-10)"),
            Description = "Log verbosity, as in Kubernetes: 0-1 info, 2-4 debug, 5+ trace.",
        };

        private readonly Option<LogLevel?> _logLevel = new("--log-level")
        {
            Description = "Log level (Trace, Debug, Information, Warning, Error); overrides -v.",
        };

        private readonly Option<string> _format = new("--logging-format")
        {
            Description = "Log format: text (one line per entry) or json (one JSON object per line, with the request's verb, path and user), as Kubernetes components spell it.",
            DefaultValueFactory = _ => "text",
        };

        public IEnumerable<Option> All => [_verbosity, _logLevel, _format];

        public LoggingOptions Read(ParseResult parsed) => new()
        {
            Level = parsed.GetValue(_logLevel) ?? FromVerbosity(parsed.GetValue(_verbosity) ?? 0),
            Format = parsed.GetValue(_format) switch
            {
                "json" => LoggingFormat.Json,
                "text" => LoggingFormat.Text,
                _ => (LoggingFormat)(-1),
            },
        };
    }
}

/// <summary>One line of text per entry, or one JSON object per line (with the request's scope) for log pipelines.</summary>
public enum LoggingFormat
{
    Text,
    Json,
}
