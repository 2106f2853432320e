using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeDiscovery.Rendering;

/// <summary>A JSON document as the YAML kubectl prints (<c>-o yaml</c>), for diffs people read.</summary>
internal static class YamlText
{
    public static string Write(JsonNode? node)
    {
        if (node is null) return "";
        var stream = new YamlStream(new YamlDocument(ToYaml(node)));
        using var writer = new StringWriter { NewLine = "\n" };
        stream.Save(writer, assignAnchors: false);
        // YamlDotNet ends a document with "...": a diff has no use for it.
        var text = writer.ToString();
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    private static YamlNode ToYaml(JsonNode? node) => node switch
    {
        JsonObject o => new YamlMappingNode(o.Select(p => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(p.Key), ToYaml(p.Value)))),
        JsonArray a => new YamlSequenceNode(a.Select(ToYaml)),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => String(v.GetValue<string>()),
        null => new YamlScalarNode("null"),
        _ => new YamlScalarNode(node.ToJsonString()),
    };

    // A string that plain YAML would read as something else (a number, a boolean, null) is quoted, as kubectl does.
    private static YamlScalarNode String(string value)
    {
        var ambiguous = value.Length == 0 || value is "true" or "false" or "null" or "~" or "yes" or "no" or "on" or "off"
            || double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);
        return new YamlScalarNode(value) { Style = ambiguous ? ScalarStyle.DoubleQuoted : ScalarStyle.Any };
    }
}
