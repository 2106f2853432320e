namespace KubeDiscovery.Api;

/// <summary>A <c>metav1.Status</c> failure, the body of every error (client-go needs kind and status to parse it).</summary>
internal sealed class KubeStatus
{
    public string Kind { get; } = "Status";
    public string ApiVersion { get; } = "v1";
    public EmptyObject Metadata { get; } = new();
    public string Status { get; } = "Failure";
    public required string Message { get; init; }
    public required string Reason { get; init; }
    public StatusDetails? Details { get; init; }
    public required int Code { get; init; }
}

internal sealed class StatusDetails
{
    public string? Name { get; init; }
    public string? Group { get; init; }
    /// <summary>Kubernetes puts the resource (not the kind) here.</summary>
    public string? Kind { get; init; }
    public IReadOnlyList<StatusCause>? Causes { get; init; }
    public int? RetryAfterSeconds { get; init; }
}

internal sealed record StatusCause(string Message);

/// <summary>Serialises as <c>{}</c>, for the empty <c>metadata</c> Kubernetes always sends.</summary>
internal sealed class EmptyObject;
