using KubeDiscovery.Api;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Security.Authorization;
using Microsoft.AspNetCore.Http;

namespace KubeDiscovery.Tests.Api;

/// <summary>
/// Errors are <c>metav1.Status</c> bodies byte for byte as kube-apiserver writes them (field order,
/// reasons, messages), since kubectl prints the message and client-go reads the rest.
/// </summary>
public sealed class StatusErrorsTests
{
    private static async Task<(int Code, string Body, HttpResponse Response)> Answer(Func<HttpContext, Task> write, string path = "/")
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        var body = new MemoryStream();
        context.Response.Body = body;
        await write(context);
        return (context.Response.StatusCode, System.Text.Encoding.UTF8.GetString(body.ToArray()), context.Response);
    }

    [Fact]
    public async Task NotFound_NamesTheResourceAsKubectlDoes()
    {
        var (code, body, response) = await Answer(c => StatusErrors.NotFound(c, new GroupResource("apps", "deployments"), "cart"));

        code.ShouldBe(404);
        response.ContentType.ShouldBe("application/json");
        body.ShouldBe("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \"cart\" not found","reason":"NotFound","details":{"name":"cart","group":"apps","kind":"deployments"},"code":404}""");
    }

    [Fact]
    public async Task Forbidden_IsKubeApiserversSentence_WithMarkupEscaped()
    {
        var attributes = new RequestAttributes
        {
            Verb = "get",
            Path = "/apis/kubediscovery.io/v1/namespaces/shop/deployments/cart/compositions",
            IsResourceRequest = true,
            ApiGroup = "kubediscovery.io",
            ApiVersion = "v1",
            Namespace = "shop",
            Resource = "deployments",
            Subresource = "compositions",
            Name = "cart",
        };

        var (code, body, response) = await Answer(c => StatusErrors.Forbidden(c, attributes, "<script>eve</script>", ""));

        code.ShouldBe(403);
        response.Headers["X-Content-Type-Options"].ToString().ShouldBe("nosniff");
        System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("message").GetString().ShouldBe(
            "deployments.kubediscovery.io \"cart\" is forbidden: User \"&lt;script&gt;eve&lt;/script&gt;\" cannot get resource \"deployments/compositions\" in API group \"kubediscovery.io\" in the namespace \"shop\"");
        body.ShouldContain("""
            "details":{"name":"cart","group":"kubediscovery.io","kind":"deployments"},"code":403}
            """.Trim());
    }

    [Fact]
    public async Task NotSynced_Is503WithRetryAfter_SoClientGoRetries()
    {
        var (code, body, response) = await Answer(StatusErrors.NotSynced);

        code.ShouldBe(503);
        response.Headers.RetryAfter.ToString().ShouldBe("1");
        body.ShouldContain("\"reason\":\"ServiceUnavailable\"");
        body.ShouldContain("\"details\":{\"retryAfterSeconds\":1}");
    }

    [Fact]
    public async Task PathNotFound_QuotesThePath_AndInternalError_CarriesItsCause()
    {
        (await Answer(StatusErrors.PathNotFound, "/apis/nope")).Body
            .ShouldContain("\"message\":\"the server could not find the requested resource (path /apis/nope)\"");
        var (code, body, _) = await Answer(c => StatusErrors.InternalError(c, "review failed"));
        code.ShouldBe(500);
        body.ShouldContain("\"message\":\"Internal error occurred: review failed\",\"reason\":\"InternalError\",\"details\":{\"causes\":[{\"message\":\"review failed\"}]}");
    }
}
