namespace KubeDiscovery.Security.Authorization;

/// <summary>
/// What a request asks to do, in the terms RBAC judges: kube-apiserver's <c>RequestInfo</c>
/// (k8s.io/apiserver endpoints/request/requestinfo.go), for the paths this server has.
/// </summary>
internal sealed record RequestAttributes
{
    public required string Verb { get; init; }
    public required string Path { get; init; }
    public bool IsResourceRequest { get; init; }
    public string ApiGroup { get; init; } = "";
    public string ApiVersion { get; init; } = "";
    public string Namespace { get; init; } = "";
    public string Resource { get; init; } = "";
    public string Subresource { get; init; } = "";
    public string Name { get; init; } = "";

    /// <summary>A <c>get</c> of objects of one resource in one namespace (all namespaces when empty), for filtering answers.</summary>
    public static RequestAttributes ForObjects(string verb, string group, string resource, string @namespace) => new()
    {
        Verb = verb,
        Path = "",
        IsResourceRequest = true,
        ApiGroup = group,
        Namespace = @namespace,
        Resource = resource,
    };

    /// <summary>
    /// The request's attributes, worked out once per request and kept on it: authorization and the request
    /// metrics both need them.
    /// </summary>
    public static RequestAttributes Of(HttpContext context, Graph.Resources.ResourceCatalog catalog)
    {
        if (context.Items.TryGetValue(typeof(RequestAttributes), out var kept) && kept is RequestAttributes attributes) return attributes;
        attributes = From(context.Request, resource => catalog.Resolve(resource)?.Plural);
        context.Items[typeof(RequestAttributes)] = attributes;
        return attributes;
    }

    /// <param name="resolvePlural">
    /// Maps the resource named in a <c>…/{resource}/{name}/compositions</c> path (any form kubectl accepts)
    /// to its plural, so RBAC rules name one thing; null leaves the segment as written.
    /// </param>
    public static RequestAttributes From(HttpRequest request, Func<string, string?> resolvePlural)
    {
        var path = request.Path.Value ?? "/";
        var method = request.Method.ToLowerInvariant();
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);

        // Resource requests are /apis/{group}/{version}/{more} (and /api/{version}/{more}); the rest are paths.
        int restStart;
        string group, version;
        if (parts is ["apis", var g, var v, _, ..]) (group, version, restStart) = (g, v, 3);
        else if (parts is ["api", var cv, _, ..]) (group, version, restStart) = ("", cv, 2);
        else return new RequestAttributes { Verb = method, Path = path };

        var rest = parts[restStart..];
        var ns = "";
        if (rest[0] == "namespaces" && rest.Length > 1)
        {
            ns = rest[1];
            // namespaces/{ns}/{resource}… names a resource in the namespace; namespaces/{ns} is the Namespace itself.
            if (rest.Length > 2 && rest[2] is not ("status" or "finalize")) rest = rest[2..];
        }

        var name = rest.Length >= 2 ? rest[1] : "";
        var subresource = rest.Length >= 3 ? rest[2] : "";
        var resource = rest[0];
        if (subresource.Length > 0 && resolvePlural(resource) is { } plural) resource = plural;

        var verb = method switch
        {
            "get" or "head" when name.Length > 0 => "get",
            "get" or "head" => Api.Compositions.WatchQuery.IsWatch(request.Query) ? "watch" : "list",
            "post" => "create",
            "put" => "update",
            "patch" => "patch",
            "delete" => name.Length > 0 ? "delete" : "deletecollection",
            _ => method,
        };
        return new RequestAttributes
        {
            Verb = verb,
            Path = path,
            IsResourceRequest = true,
            ApiGroup = group,
            ApiVersion = version,
            Namespace = ns,
            Resource = resource,
            Subresource = subresource,
            Name = name,
        };
    }

    /// <summary>kube-apiserver's forbidden message (endpoints/handlers/responsewriters/errors.go).</summary>
    public string ForbiddenMessage(string user)
    {
        if (!IsResourceRequest) return $"User \"{user}\" cannot {Verb} path \"{Path}\"";
        var resource = Subresource.Length > 0 ? $"{Resource}/{Subresource}" : Resource;
        return Namespace.Length > 0
            ? $"User \"{user}\" cannot {Verb} resource \"{resource}\" in API group \"{ApiGroup}\" in the namespace \"{Namespace}\""
            : $"User \"{user}\" cannot {Verb} resource \"{resource}\" in API group \"{ApiGroup}\" at the cluster scope";
    }
}
