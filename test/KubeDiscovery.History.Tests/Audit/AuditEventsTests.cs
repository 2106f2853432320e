using System.Text.Json;
using KubeDiscovery.History.Audit;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.History.Tests.Audit;

/// <summary>Reading who made a write out of kube-apiserver 1.19 audit events, webhook batches and log lines alike.</summary>
public sealed class AuditEventsTests
{
    private readonly FakeTimeProvider _time = new();

    // A 1.19 RequestResponse event for `kubectl set image`, as the log backend writes it (one line).
    private const string PatchTemplate = """
        {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"4c2b9f0e-8d2a-4d7e-9b61-2f0d8f1c7a11","stage":"ResponseComplete","requestURI":"/apis/apps/v1/namespaces/shop/deployments/frontend?fieldManager=kubectl-set","verb":"patch","user":{"username":"alice@example.com","groups":["developers","system:authenticated"]},"sourceIPs":["10.0.0.7"],"userAgent":"kubectl/v1.19.16 (linux/amd64) kubernetes/e37e4ab","objectRef":{"resource":"deployments","namespace":"shop","name":"frontend","apiGroup":"apps","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestObject":{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"ghcr.io/acme/frontend:2.5.0"}]}}}},"responseObject":{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"frontend","namespace":"shop","uid":"db4c4004-cca5-5fa2-99a1-5156406afa8b","resourceVersion":"50001","generation":3}},"requestReceivedTimestamp":"RECEIVED","stageTimestamp":"COMPLETED","annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":"RBAC: allowed by RoleBinding \"dev/shop\""}}
        """;

    private const string SecretTemplate = """
        {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"9d1e","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/shop/secrets","verb":"create","user":{"username":"bob"},"userAgent":"kubectl/v1.19.16","objectRef":{"resource":"secrets","namespace":"shop","name":"db","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":201},"requestObject":{"data":{"password":"c2VjcmV0"}},"responseObject":{"kind":"Secret","apiVersion":"v1","metadata":{"name":"db","namespace":"shop","uid":"s-1","resourceVersion":"61"},"data":{"password":"c2VjcmV0"}},"stageTimestamp":"COMPLETED"}
        """;

    // The request was received 15 ms before its response completed, both on the test's clock, as kube-apiserver stamps them (microseconds).
    private string Stamped(string template) => template
        .Replace("RECEIVED", Stamp(_time.GetUtcNow()), StringComparison.Ordinal)
        .Replace("COMPLETED", Stamp(_time.GetUtcNow().AddMilliseconds(15)), StringComparison.Ordinal);

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private string PatchEvent => Stamped(PatchTemplate);

    private string SecretEvent => Stamped(SecretTemplate);

    [Fact]
    public void AWrite_NamesItsUserAgentAndVerb_AgainstTheUidAndResourceVersionItProduced()
    {
        using var document = JsonDocument.Parse(PatchEvent);

        var attribution = AuditEvents.Read(document.RootElement).Single();

        attribution.Uid.ShouldBe("db4c4004-cca5-5fa2-99a1-5156406afa8b");
        attribution.ResourceVersion.ShouldBe("50001");
        attribution.User.ShouldBe("alice@example.com");
        attribution.UserAgent.ShouldBe("kubectl/v1.19.16 (linux/amd64) kubernetes/e37e4ab");
        attribution.Verb.ShouldBe("patch");
        attribution.At.ShouldBe(_time.GetUtcNow().AddMilliseconds(15));
    }

    [Fact]
    public void ReadsGetsRequestReceivedStagesAndRefusedWrites_AttributeNothing()
    {
        var read = PatchEvent.Replace("\"verb\":\"patch\"", "\"verb\":\"get\"", StringComparison.Ordinal);
        var early = PatchEvent.Replace("\"stage\":\"ResponseComplete\"", "\"stage\":\"RequestReceived\"", StringComparison.Ordinal);
        var refused = PatchEvent.Replace("\"code\":200", "\"code\":409", StringComparison.Ordinal);
        var list = $$"""{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":[{{read}},{{early}},{{refused}},{{SecretEvent}}]}""";
        using var document = JsonDocument.Parse(list);

        var found = AuditEvents.Read(document.RootElement);

        found.Select(a => a.User).ShouldBe(["bob"]); // only the Secret's create; its data is not part of what is read
        found[0].ToString().ShouldNotContain("c2VjcmV0");
    }

    [Fact]
    public void SomethingElse_IsRefusedWithItsKind()
    {
        using var document = JsonDocument.Parse("""{"kind":"PodList","items":[]}""");

        Should.Throw<FormatException>(() => AuditEvents.Read(document.RootElement)).Message.ShouldContain("got kind PodList");
    }

    [Fact]
    public async Task ALogFile_IsReadLineByLine_ReportingTheLinesThatAreNotEvents()
    {
        using var log = new StringReader(PatchEvent.Trim() + "\n\nnot json\n" + SecretEvent.Trim() + "\n");

        var (found, problems) = await AuditEvents.ReadLogAsync(log, default);

        found.Select(a => a.User).ShouldBe(["alice@example.com", "bob"]);
        problems.Single().ShouldStartWith("line 3:");
    }
}
