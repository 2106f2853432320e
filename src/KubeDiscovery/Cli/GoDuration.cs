using System.Globalization;

namespace KubeDiscovery.Cli;

/// <summary>
/// Go's <c>time.ParseDuration</c> form, which every Kubernetes component's duration flag takes: a sequence
/// of decimal numbers with units (<c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>; also <c>us</c>, <c>ns</c>), such as
/// <c>300ms</c>, <c>1m30s</c> or <c>720h</c>; a bare <c>0</c> is zero. .NET's TimeSpan formats read none of these.
/// </summary>
internal static class GoDuration
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text)) return false;
        var span = text.AsSpan();
        var negative = span[0] == '-';
        if (span[0] is '-' or '+') span = span[1..];
        if (span is "0")
        {
            return true;
        }
        if (span.IsEmpty) return false;
        double ticks = 0;
        while (!span.IsEmpty)
        {
            var digits = 0;
            while (digits < span.Length && (char.IsAsciiDigit(span[digits]) || span[digits] == '.')) digits++;
            if (digits == 0 || !double.TryParse(span[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) return false;
            span = span[digits..];
            var unit = 0;
            while (unit < span.Length && !char.IsAsciiDigit(span[unit]) && span[unit] != '.') unit++;
            var perUnit = span[..unit] switch
            {
                "ns" => 0.01,
                "us" or "µs" => TimeSpan.TicksPerMicrosecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                _ => -1d,
            };
            if (perUnit < 0) return false;
            ticks += number * perUnit;
            span = span[unit..];
        }
        if (ticks > TimeSpan.MaxValue.Ticks) return false;
        value = TimeSpan.FromTicks((long)ticks) * (negative ? -1 : 1);
        return true;
    }
}
