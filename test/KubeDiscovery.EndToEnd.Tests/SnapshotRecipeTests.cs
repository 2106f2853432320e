using System.Net;
using System.Text.Json;
using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>
/// The server on a snapshot taken exactly as the README says, with the real kubectl, from the
/// kube-apiserver double: every listable resource, componentstatuses (no uid) and the ingresses served
/// under both extensions and networking.k8s.io included.
/// </summary>
public sealed class ReadmeSnapshotServer : ServerProcess
{
    /// <summary>The README's recipe, word for word (kept in step with the README by a test).</summary>
    public const string Recipe = "kubectl get -A -o yaml $(kubectl api-resources --verbs=list -o name | grep -v '[.]kubediscovery[.]io$' | paste -sd, -) > cluster.yaml";

    private readonly string _directory = Directory.CreateTempSubdirectory("kd-e2e-recipe-").FullName;

    public string Dump => Path.Combine(_directory, "cluster.yaml");

    protected override string[] SourceArgs => ["--snapshot", Dump];

    protected override async Task BeforeStartAsync()
    {
        await using var cluster = await FakeKubeApiServer.StartWithRecordingsAsync();
        foreach (var name in new[] { "scheduler", "controller-manager" })
        {
            cluster.Store.Apply($$"""{"apiVersion":"v1","kind":"ComponentStatus","metadata":{"name":"{{name}}"},"conditions":[{"type":"Healthy","status":"True"}]}""");
        }
        cluster.Store.Apply("""{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"web-ing","namespace":"default"}}""");
        var kubeconfig = cluster.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"));
        var dump = await ProcessRunner.RunAsync("bash", ["-c", $"cd '{_directory}' && {Recipe}"],
            timeout: TimeSpan.FromMinutes(2), env: new Dictionary<string, string?> { ["KUBECONFIG"] = kubeconfig, ["HOME"] = _directory });
        if (dump.ExitCode != 0) throw new InvalidOperationException($"the README's recipe failed: {dump.Stderr}");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

public sealed class SnapshotRecipeTests(ReadmeSnapshotServer server) : IClassFixture<ReadmeSnapshotServer>
{
    [Fact]
    public void ReadmeRecipe_IsTheOneTested()
    {
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md"));
        readme.ShouldContain(ReadmeSnapshotServer.Recipe);
    }

    [Fact]
    public void DumpWithComponentStatuses_Loads_AndSaysWhatItSkipped()
    {
        File.ReadAllText(server.Dump).ShouldContain("kind: ComponentStatus");
        server.Output.ShouldContain("skipped 2 objects without metadata.uid, which can be part of no tree: 2 ComponentStatus");
        server.Output.ShouldContain("1 items repeated objects already loaded");
    }

    [Theory]
    [InlineData("ingresses.extensions")]
    [InlineData("ingresses.networking.k8s.io")]
    [InlineData("ingresses")]
    public async Task IngressListedUnderTwoGroups_AnswersUnderEitherName(string resource)
    {
        var tree = JsonDocument.Parse(await server.GetRaw($"/apis/kubediscovery.io/v1/namespaces/default/{resource}/web-ing/compositions")).RootElement;

        tree.GetProperty("root").GetProperty("kind").GetString().ShouldBe("Ingress");
        tree.GetProperty("root").GetProperty("name").GetString().ShouldBe("web-ing");
    }

    [Fact]
    public async Task RecordedDeployment_IsWholeInTheDump()
    {
        using var response = await server.Http.GetAsync(server.Url + "/apis/kubediscovery.io/v1/namespaces/default/deployments/nginx/compositions?format=tree");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("ReplicaSet/nginx-");
    }
}
