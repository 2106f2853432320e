using System.Text.Json;
using YamlDotNet.Core;

namespace KubeDiscovery.Sources.Snapshot;

/// <summary>
/// Relation rules as written (a <c>--relations</c> file, a ConfigMap value): YAML, which includes JSON,
/// one or more documents. The Graph library parses only JSON, so every source plugs this in.
/// </summary>
public static class RelationRulesText
{
    /// <exception cref="FormatException">The YAML is malformed; the message says where.</exception>
    public static IEnumerable<JsonElement> Documents(string text)
    {
        List<JsonElement> documents = [];
        try
        {
            foreach (var document in YamlToJson.Convert(new StringReader(text)))
            {
                if (document.Json is null) continue;
                using var parsed = JsonDocument.Parse(document.Json);
                documents.Add(parsed.RootElement.Clone());
            }
        }
        catch (YamlException e)
        {
            throw new FormatException($"line {e.Start.Line}: {e.Message}", e);
        }
        return documents;
    }
}
