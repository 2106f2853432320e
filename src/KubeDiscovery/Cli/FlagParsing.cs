using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace KubeDiscovery.Cli;

/// <summary>Parsers and shapes shared by the options records' flags, so every flag reads and fails alike.</summary>
internal static class FlagParsing
{
    /// <summary>An integer flag whose error says what it wants (the parser's own names the CLR type, "System.Int32").</summary>
    public static int ParseInt(ArgumentResult result, string what)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)) return value;
        result.AddError($"{OptionName(result)} must be {what}, not \"{text}\"");
        return 0;
    }

    /// <summary>A duration flag in Go's form (<c>30s</c>, <c>1m30s</c>, <c>720h</c>), as Kubernetes components take them.</summary>
    public static TimeSpan ParseDuration(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (GoDuration.TryParse(text, out var value) && value >= TimeSpan.Zero) return value;
        result.AddError($"{OptionName(result)} must be a duration such as 30s, 5m or 1h30m, not \"{text}\"");
        return TimeSpan.Zero;
    }

    /// <summary>A list flag, comma-separated or repeated (<c>--x a,b --x c</c>).</summary>
    public static Option<string[]> ListOption(string name, string description) => new(name)
    {
        Description = description + " Comma-separated or repeated.",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    // "--resources a,b --resources c" → [a, b, c]
    public static IReadOnlyList<string> Split(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)).ToList();

    /// <summary>The list given, without empty entries, or <paramref name="fallback"/> when the flag was not given at all.</summary>
    public static IReadOnlyList<string> ListOr(ParseResult parsed, Option<string[]> option, IReadOnlyList<string> fallback) =>
        parsed.GetResult(option) is null ? fallback : Split(parsed.GetValue(option)).Where(v => v.Length > 0).ToList();

    private static string OptionName(ArgumentResult result) => (result.Parent as OptionResult)?.Option.Name ?? "the value";
}
