using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace KubeDiscovery.TestDoubles;

/// <summary>
/// What the fake server answers to TokenReviews and SubjectAccessReviews: known tokens, and a small
/// RBAC-like policy (rules bound to a user or group, cluster-wide or in one namespace), with the
/// answer shapes of kube-apiserver's authentication.k8s.io/v1 and authorization.k8s.io/v1.
/// </summary>
public sealed class FakeReviews
{
    private readonly ConcurrentDictionary<string, FakeUser> _tokens = new(StringComparer.Ordinal);
    private readonly List<Rule> _rules = [];
    private readonly Lock _lock = new();
    private int _tokenReviews;
    private int _accessReviews;

    /// <summary>While true, both review endpoints answer 500 (an apiserver that cannot review).</summary>
    public bool Fail { get; set; }

    public int TokenReviews => Volatile.Read(ref _tokenReviews);

    public int AccessReviews => Volatile.Read(ref _accessReviews);

    /// <summary>The SubjectAccessReview specs received, in order.</summary>
    public ConcurrentQueue<JsonObject> AccessReviewSpecs { get; } = new();

    public void AddToken(string token, string user, IReadOnlyList<string>? groups = null, string? uid = null) =>
        _tokens[token] = new FakeUser(user, groups ?? [], uid);

    /// <summary>Allows <paramref name="subject"/> (a user or group) the verbs on resources ("x", "x/sub", "*/sub", "*") of the API groups, in a namespace or (null) everywhere.</summary>
    public void Allow(string subject, string[] verbs, string[] apiGroups, string[] resources, string? @namespace = null)
    {
        lock (_lock) _rules.Add(new Rule(subject, verbs, apiGroups, resources, @namespace, null, Deny: null));
    }

    /// <summary>Allows a non-resource path (exact, or a prefix ending in *).</summary>
    public void AllowPath(string subject, string path, string verb = "get")
    {
        lock (_lock) _rules.Add(new Rule(subject, [verb], [], [], null, path, Deny: null));
    }

    /// <summary>Answers <c>denied: true</c> with a reason for everything this subject asks (a webhook's explicit deny).</summary>
    public void DenyAll(string subject, string reason)
    {
        lock (_lock) _rules.Insert(0, new Rule(subject, ["*"], ["*"], ["*"], null, "*", Deny: reason));
    }

    public void Clear()
    {
        lock (_lock) _rules.Clear();
        _tokens.Clear();
    }

    internal JsonObject ReviewToken(JsonObject review)
    {
        Interlocked.Increment(ref _tokenReviews);
        var token = review["spec"]?["token"]?.GetValue<string>() ?? "";
        var status = new JsonObject();
        if (_tokens.TryGetValue(token, out var user))
        {
            status["authenticated"] = true;
            var userNode = new JsonObject { ["username"] = user.Name, ["groups"] = new JsonArray(user.Groups.Select(g => (JsonNode)JsonValue.Create(g)).ToArray()) };
            if (user.Uid is not null) userNode["uid"] = user.Uid;
            status["user"] = userNode;
        }
        else
        {
            status["authenticated"] = false;
            status["error"] = "token not found";
        }
        return new JsonObject
        {
            ["kind"] = "TokenReview",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
            ["spec"] = review["spec"]?.DeepClone(),
            ["status"] = status,
        };
    }

    internal JsonObject ReviewAccess(JsonObject review)
    {
        Interlocked.Increment(ref _accessReviews);
        var spec = review["spec"]?.AsObject() ?? [];
        AccessReviewSpecs.Enqueue(spec.DeepClone().AsObject());
        var subjects = new HashSet<string>(StringComparer.Ordinal) { spec["user"]?.GetValue<string>() ?? "" };
        foreach (var group in spec["groups"]?.AsArray() ?? []) subjects.Add(group!.GetValue<string>());

        var status = new JsonObject { ["allowed"] = false };
        List<Rule> rules;
        lock (_lock) rules = [.. _rules];
        foreach (var rule in rules.Where(r => subjects.Contains(r.Subject)))
        {
            if (rule.Deny is not null)
            {
                status["denied"] = true;
                status["reason"] = rule.Deny;
                break;
            }
            if (Matches(rule, spec))
            {
                status["allowed"] = true;
                status["reason"] = $"allowed for {rule.Subject}";
                break;
            }
        }
        return new JsonObject
        {
            ["kind"] = "SubjectAccessReview",
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
            ["spec"] = spec.DeepClone(),
            ["status"] = status,
        };
    }

    private static bool Matches(Rule rule, JsonObject spec)
    {
        if (spec["nonResourceAttributes"] is JsonObject nonResource)
        {
            var path = nonResource["path"]?.GetValue<string>() ?? "";
            var verb = nonResource["verb"]?.GetValue<string>() ?? "";
            return rule.Path is { } p && Any(rule.Verbs, verb)
                && (p == path || (p.EndsWith('*') && path.StartsWith(p[..^1], StringComparison.Ordinal)));
        }
        if (spec["resourceAttributes"] is not JsonObject attributes || rule.Path is not null && rule.Resources.Length == 0) return false;
        string Get(string name) => attributes[name]?.GetValue<string>() ?? "";
        var ns = Get("namespace");
        if (rule.Namespace is not null && rule.Namespace != ns) return false;
        if (!Any(rule.Verbs, Get("verb")) || !Any(rule.ApiGroups, Get("group"))) return false;
        var resource = Get("resource");
        var subresource = Get("subresource");
        var asked = subresource.Length > 0 ? $"{resource}/{subresource}" : resource;
        // RBAC's ResourceMatches: exact, "*", or "*/subresource".
        return rule.Resources.Any(r => r == "*" || r == asked || (subresource.Length > 0 && r == "*/" + subresource));
    }

    private static bool Any(string[] allowed, string value) => allowed.Contains("*") || allowed.Contains(value);

    private sealed record FakeUser(string Name, IReadOnlyList<string> Groups, string? Uid);

    private sealed record Rule(string Subject, string[] Verbs, string[] ApiGroups, string[] Resources, string? Namespace, string? Path, string? Deny);
}
