using System.Text.Json;
using KubeDiscovery.History.Audit;

namespace KubeDiscovery.Api.History;

/// <summary>
/// <c>POST /apis/kubediscovery.io/v1/auditevents</c>: kube-apiserver's audit webhook backend
/// (<c>--audit-webhook-config-file</c>) posts <c>audit.k8s.io/v1</c> <c>EventList</c> batches here. The caller
/// authenticates like any other (a client certificate from the cluster's client CA) and needs <c>create</c>
/// on <c>auditevents</c> in <c>kubediscovery.io</c>. Each write's user is stored against the uid and
/// resourceVersion it produced, once that version is recorded and fits the event (<see cref="AttributionGate"/>);
/// nothing else of the event is kept.
/// </summary>
internal static class AuditWebhook
{
    public const string Resource = "auditevents";
    public const string Path = KubeDiscoveryApi.Prefix + "/" + Resource;

    public static void Map(IEndpointRouteBuilder routes) => routes.MapPost(Path, ReceiveAsync);

    private static Task ReceiveAsync(HttpContext context) => HistoryGuard.RunAsync(context, async () =>
    {
        var targets = context.RequestServices.GetRequiredService<HistoryTargets>();
        if (await targets.EnabledAsync(context) is not { } history) return;
        List<KubeDiscovery.History.Storage.Attribution> found;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            found = AuditEvents.Read(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            await StatusErrors.BadRequest(context, $"not an audit.k8s.io/v1 EventList: {e.Message}");
            return;
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await StatusErrors.Write(context, new KubeStatus { Code = 413, Reason = "RequestEntityTooLarge", Message = $"the audit batch is too large: {e.Message}" });
            return;
        }
        var outcome = await context.RequestServices.GetRequiredService<AttributionGate>().SubmitAsync(history.Store, found, context.RequestAborted);
        var message = $"{outcome.Matched} writes attributed, {outcome.Stored} new";
        if (outcome.Waiting > 0) message += $"; {outcome.Waiting} waiting for their version to be recorded";
        if (outcome.Refused > 0) message += $"; {outcome.Refused} refused (dated in the future, or too many waiting)";
        await JsonAnswers.WriteAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteString("apiVersion", "v1");
            w.WriteString("kind", "Status");
            w.WriteStartObject("metadata");
            w.WriteEndObject();
            w.WriteString("status", "Success");
            w.WriteString("message", message);
            w.WriteNumber("code", 200);
            w.WriteEndObject();
        });
    });
}
