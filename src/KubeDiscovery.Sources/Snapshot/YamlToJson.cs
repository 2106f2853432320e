using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace KubeDiscovery.Sources.Snapshot;

/// <summary>
/// Converts a YAML stream, document by document, to JSON, so that YAML snapshots go through the same
/// JSON reader as everything else. Hand-written because neither YamlDotNet nor KubernetesClient turns
/// untyped YAML into JSON: YamlDotNet supplies the parser; this resolves plain scalars by the YAML 1.2
/// core schema (what kubectl's sigs.k8s.io/yaml does for its output) and expands anchors.
/// </summary>
internal static partial class YamlToJson
{
    /// <summary>Nesting deeper than this is refused rather than risking the stack (matches JSON's default).</summary>
    public const int MaxDepth = 64;

    /// <summary>One YAML document as JSON; <see cref="Json"/> is null for an empty document.</summary>
    public sealed record Document(int Number, byte[]? Json);

    /// <exception cref="YamlException">The YAML is malformed; <c>Start</c> says where.</exception>
    public static IEnumerable<Document> Convert(TextReader reader)
    {
        var parser = new Parser(reader);
        parser.Consume<StreamStart>();
        var number = 0;
        while (parser.TryConsume<DocumentStart>(out _))
        {
            number++;
            var json = ReadDocument(parser);
            yield return new Document(number, json);
        }
        Guard(parser, () => parser.Consume<StreamEnd>());
    }

    private static byte[]? ReadDocument(IParser parser) => Guard(parser, () =>
    {
        byte[]? json = null;
        if (!parser.Accept<DocumentEnd>(out _))
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                WriteNode(parser, writer, new Dictionary<string, byte[]>(StringComparer.Ordinal), 0);
            }
            json = buffer.WrittenSpan.ToArray();
            if (json is [(byte)'n', (byte)'u', (byte)'l', (byte)'l']) json = null; // "---" followed by nothing
        }
        parser.Consume<DocumentEnd>();
        return json;
    });

    // YamlDotNet reports some malformed input (an unclosed flow sequence at end of input) with a bare
    // InvalidOperationException; give every failure a position so the caller can say where.
    private static T Guard<T>(IParser parser, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not YamlException and (InvalidOperationException or ArgumentException or FormatException))
        {
            var at = parser.Current?.Start ?? Mark.Empty;
            throw new YamlException(at, at, "unexpected end of input or malformed structure", e);
        }
    }

    private static void WriteNode(IParser parser, Utf8JsonWriter writer, Dictionary<string, byte[]> anchors, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new YamlException(parser.Current?.Start ?? Mark.Empty, parser.Current?.End ?? Mark.Empty,
                $"nesting is deeper than {MaxDepth} levels");
        }

        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (!anchors.TryGetValue(alias.Value.Value, out var json))
            {
                throw new YamlException(alias.Start, alias.End, $"unknown alias *{alias.Value.Value}");
            }
            writer.WriteRawValue(json, skipInputValidation: true);
            return;
        }

        var anchor = parser.Current is NodeEvent { Anchor.IsEmpty: false } node ? node.Anchor.Value : null;
        if (anchor is null)
        {
            WriteValue(parser, writer, anchors, depth);
            return;
        }

        // Anchored: render separately so later aliases can replay it.
        var buffer = new ArrayBufferWriter<byte>();
        using (var inner = new Utf8JsonWriter(buffer))
        {
            WriteValue(parser, inner, anchors, depth);
        }
        anchors[anchor] = buffer.WrittenSpan.ToArray();
        writer.WriteRawValue(anchors[anchor], skipInputValidation: true);
    }

    private static void WriteValue(IParser parser, Utf8JsonWriter writer, Dictionary<string, byte[]> anchors, int depth)
    {
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            WriteScalar(writer, scalar);
        }
        else if (parser.TryConsume<SequenceStart>(out _))
        {
            writer.WriteStartArray();
            while (!parser.TryConsume<SequenceEnd>(out _)) WriteNode(parser, writer, anchors, depth + 1);
            writer.WriteEndArray();
        }
        else if (parser.TryConsume<MappingStart>(out _))
        {
            writer.WriteStartObject();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                if (!parser.TryConsume<Scalar>(out var key))
                {
                    var at = parser.Current;
                    throw new YamlException(at?.Start ?? Mark.Empty, at?.End ?? Mark.Empty, "only plain keys are supported in mappings");
                }
                writer.WritePropertyName(key.Value);
                WriteNode(parser, writer, anchors, depth + 1);
            }
            writer.WriteEndObject();
        }
        else
        {
            var at = parser.Current;
            throw new YamlException(at?.Start ?? Mark.Empty, at?.End ?? Mark.Empty, $"unexpected {at?.GetType().Name ?? "end of input"}");
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, Scalar scalar)
    {
        var value = scalar.Value;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (scalar.Style != ScalarStyle.Plain || tag is "tag:yaml.org,2002:str" or "!!str")
        {
            writer.WriteStringValue(value);
            return;
        }

        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                writer.WriteNullValue();
                return;
            case "true" or "True" or "TRUE":
                writer.WriteBooleanValue(true);
                return;
            case "false" or "False" or "FALSE":
                writer.WriteBooleanValue(false);
                return;
        }

        if (IntPattern().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            writer.WriteNumberValue(integer);
        }
        else if (FloatPattern().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            writer.WriteNumberValue(real);
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
