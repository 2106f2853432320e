using System.Text.Json;
using System.Text.RegularExpressions;
using KubeDiscovery.Graph.Connections.Extraction;
using Capture = KubeDiscovery.Graph.Connections.Extraction.Capture;

namespace KubeDiscovery.Graph.Connections.Rules;

/// <summary>
/// Reads relation rules: the <c>RelationRules</c> document (from <c>--relations</c> and labelled
/// ConfigMaps) and KubePlus' CRD annotations. Every problem becomes a <see cref="RuleError"/> naming its
/// source; a bad rule is dropped, never fatal.
/// </summary>
public static partial class RuleParser
{
    public const string ApiVersion = "kubediscovery.io/v1";
    public const string Kind = "RelationRules";

    /// <summary>Resolves a kind (group given or not) to its (group, kind), from the catalog; null when unknown.</summary>
    public delegate (string Group, string Kind)? KindResolver(string? group, string kind);

    public static void ParseDocument(JsonElement document, string source, KindResolver resolve, List<CompiledRule> rules, List<RuleError> errors)
    {
        if (document.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(source, "a rules document must be an object"));
            return;
        }
        var apiVersion = Text(document, "apiVersion");
        var kind = Text(document, "kind");
        if (apiVersion != ApiVersion || kind != Kind)
        {
            errors.Add(new(source, $"expected apiVersion {ApiVersion} and kind {Kind}, found {apiVersion ?? "none"} and {kind ?? "none"}"));
            return;
        }
        if (!document.TryGetProperty("rules", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new(source, "rules must be a list"));
            return;
        }
        var i = 0;
        foreach (var rule in list.EnumerateArray())
        {
            var at = $"{source}: rules[{i++}]";
            try
            {
                rules.Add(ParseRule(rule, at, resolve));
            }
            catch (FormatException e)
            {
                errors.Add(new(at, e.Message));
            }
        }
    }

    private static CompiledRule ParseRule(JsonElement rule, string at, KindResolver resolve)
    {
        if (rule.ValueKind != JsonValueKind.Object) throw new FormatException("a rule must be an object");
        if (rule.TryGetProperty("application", out _)) return ParseApplication(rule, at);
        var from = KindOf(rule, "from", resolve) ?? throw new FormatException("from.kind is required");
        var to = KindOf(rule, "to", resolve);
        var link = Text(rule, "link");
        if (link is not null && !LinkPattern().IsMatch(link)) throw new FormatException($"link \"{link}\" must be lower-case words joined by '-'");
        var template = new ValueTemplate(Text(rule, "prefix") ?? "", Text(rule, "suffix") ?? "",
            rule.TryGetProperty("list", out var l) && l.ValueKind == JsonValueKind.True);

        string[] sources = ["path", "reference", "selector", "annotation", "label"];
        var given = sources.Where(s => rule.TryGetProperty(s, out _)).ToList();
        if (given.Count != 1) throw new FormatException($"give exactly one of {string.Join(", ", sources)}");
        var value = Text(rule, given[0]) ?? throw new FormatException($"{given[0]} must be a string");
        (string, string) Target() => to ?? throw new FormatException($"to.kind is required for a {given[0]} rule");

        switch (given[0])
        {
            case "path":
                var (g, k) = Target();
                return new CompiledRule(from, new Capture(Path(value), CaptureKind.Name, link ?? LinkNames.RefersTo, g, k, template), null, at);
            case "reference":
                return new CompiledRule(from, new Capture(Path(value), CaptureKind.ObjectReference, link ?? LinkNames.RefersTo, to?.Group ?? "", to?.Kind ?? ""), null, at);
            case "selector":
                var (sg, sk) = Target();
                return new CompiledRule(from, new Capture(Path(value), CaptureKind.Selector, link ?? LinkNames.RefersTo, sg, sk), null, at);
            case "annotation":
                var (ag, ak) = Target();
                return new CompiledRule(from, new Capture(["metadata", "annotations", Key(value)], CaptureKind.Name, link ?? LinkNames.RefersTo, ag, ak, template), null, at);
            default:
                return new CompiledRule(from, null, new LabelRule(from, Target(), Key(value), template, link ?? LinkNames.Labels, at), at);
        }
    }

    /// <summary>
    /// A platform's own grouping: <c>{application: team, label: example.com/team}</c> makes every object
    /// nothing owns that carries the label a member of the application <c>team.{value}</c> in its namespace.
    /// </summary>
    private static CompiledRule ParseApplication(JsonElement rule, string at)
    {
        var name = Text(rule, "application") ?? throw new FormatException("application must be a string");
        if (!LinkPattern().IsMatch(name) || name is Applications.AppKey.ArgoCd or Applications.AppKey.Kustomization or Applications.AppKey.HelmRelease
            or Applications.AppKey.Helm or Applications.AppKey.Instance or Applications.AppKey.PartOf)
        {
            throw new FormatException($"application \"{name}\" must be lower-case words joined by '-', and not a built-in form (argocd, kustomization, helmrelease, helm, instance, part-of)");
        }
        var label = Text(rule, "label") ?? throw new FormatException("an application rule needs label: the label whose value names the application");
        return new CompiledRule(("", ""), null, null, at) { Application = new Applications.ApplicationRule(name, Key(label)) };
    }

    /// <summary>
    /// KubePlus' annotations on a CRD of (<paramref name="group"/>, <paramref name="kind"/>):
    /// <c>resource/label-relationship</c>, <c>resource/annotation-relationship</c> and
    /// <c>resource/specproperty-relationship</c>; <c>resource/composition</c> and <c>resource/usage</c>
    /// need nothing (ownership already builds the composition).
    /// </summary>
    public static void ParseKubePlus(string group, string kind, IReadOnlyList<KeyValuePair<string, string>> annotations, string source,
        KindResolver resolve, List<CompiledRule> rules, List<RuleError> errors)
    {
        var self = (group, kind);
        foreach (var (key, text) in annotations)
        {
            var at = $"{source}: {key}";
            try
            {
                switch (key)
                {
                    case "resource/composition" or "resource/usage":
                        break;
                    case "resource/label-relationship":
                    {
                        var fields = Fields(text);
                        var (template, _) = InstanceTemplate(Field(fields, "value"));
                        foreach (var on in OnKinds(Field(fields, "on"), resolve))
                        {
                            rules.Add(new CompiledRule(self, null, new LabelRule(self, on, Key(Field(fields, "key")), template, LinkNames.Labels, at), at));
                        }
                        break;
                    }
                    case "resource/annotation-relationship":
                    {
                        var fields = Fields(text);
                        var (template, _) = InstanceTemplate(Field(fields, "value"));
                        var annotation = Key(Field(fields, "key"));
                        foreach (var on in OnKinds(Field(fields, "on"), resolve))
                        {
                            rules.Add(new CompiledRule(on, new Capture(["metadata", "annotations", annotation], CaptureKind.Name, LinkNames.RefersTo, group, kind, template), null, at));
                        }
                        break;
                    }
                    case "resource/specproperty-relationship":
                    {
                        var fields = Fields(text);
                        var on = Field(fields, "on");
                        if (!on.StartsWith("INSTANCE.", StringComparison.Ordinal)) throw new FormatException($"on must be INSTANCE.<path>, found \"{on}\"");
                        var value = SpecPropertyValue().Match(Field(fields, "value"));
                        if (!value.Success) throw new FormatException($"only value:<Kind>.metadata.name is supported, found \"{Field(fields, "value")}\"");
                        var target = OnKinds(value.Groups["kind"].Value, resolve).Single();
                        rules.Add(new CompiledRule(self, new Capture(Path(on["INSTANCE.".Length..]), CaptureKind.Name, LinkNames.RefersTo, target.Group, target.Kind), null, at));
                        break;
                    }
                    default:
                        errors.Add(new(at, "not a relationship annotation this server reads"));
                        break;
                }
            }
            catch (FormatException e)
            {
                errors.Add(new(at, e.Message));
            }
        }
    }

    // "on:Secret;PersistentVolumeClaim, key:a/b, value:INSTANCE.metadata.name"
    private static Dictionary<string, string> Fields(string text)
    {
        Dictionary<string, string> fields = new(StringComparer.Ordinal);
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) throw new FormatException($"expected name:value, found \"{part}\"");
            fields[part[..colon].Trim()] = part[(colon + 1)..].Trim();
        }
        return fields;
    }

    private static string Field(Dictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var v) && v.Length > 0 ? v : throw new FormatException($"{name} is missing");

    private static IEnumerable<(string Group, string Kind)> OnKinds(string on, KindResolver resolve)
    {
        foreach (var kind in on.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            yield return resolve(null, kind) ?? throw new FormatException($"unknown kind {kind}");
        }
    }

    // value:INSTANCE.metadata.name, prefix-INSTANCE.metadata.name, contains(INSTANCE.metadata.name)
    private static (ValueTemplate Template, bool Contains) InstanceTemplate(string value)
    {
        var contains = value.StartsWith("contains(", StringComparison.Ordinal) && value.EndsWith(')');
        if (contains) value = value["contains(".Length..^1];
        const string instance = "INSTANCE.metadata.name";
        var at = value.IndexOf(instance, StringComparison.Ordinal);
        if (at < 0) throw new FormatException($"only values built from INSTANCE.metadata.name are supported, found \"{value}\"");
        return (new ValueTemplate(value[..at], value[(at + instance.Length)..], contains), contains);
    }

    private static (string Group, string Kind)? KindOf(JsonElement rule, string property, KindResolver resolve)
    {
        if (!rule.TryGetProperty(property, out var k)) return null;
        if (k.ValueKind != JsonValueKind.Object || Text(k, "kind") is not { Length: > 0 } kind) throw new FormatException($"{property}.kind is required");
        var group = Text(k, "group");
        return resolve(group, kind) ?? (group is not null ? (group, kind) : throw new FormatException($"unknown kind {kind}: give {property}.group, or install its CRD"));
    }

    private static string[] Path(string path)
    {
        if (!PathPattern().IsMatch(path)) throw new FormatException($"path \"{path}\" must be dotted field names, each optionally followed by [] for list items");
        if (path.StartsWith("metadata.", StringComparison.Ordinal) || path == "metadata") throw new FormatException("paths under metadata are not read; use annotation or label rules");
        return BuiltInRelations.Steps(path);
    }

    private static string Key(string key) =>
        KeyPattern().IsMatch(key) ? key : throw new FormatException($"\"{key}\" is not a valid label or annotation key");

    private static string? Text(JsonElement obj, string property) =>
        obj.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_-]+(\[\])?(\.[A-Za-z0-9_-]+(\[\])?)*$")]
    private static partial Regex PathPattern();

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^(?<kind>[A-Za-z0-9]+)\.(spec\.)?metadata\.name$")]
    private static partial Regex SpecPropertyValue();
}
