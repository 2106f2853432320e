using System.Text.Json;
using k8s;
using k8s.Models;

namespace KubeDiscovery.Tests.Deploy;

/// <summary>
/// The install manifests, rendered by kubectl's own kustomize and read with KubernetesClient's models:
/// every object parses, and they agree on names, namespaces, labels, ports and the service account.
/// </summary>
public sealed class ManifestsTests
{
    private const string Namespace = "kubediscovery";
    private static readonly string DeployDirectory = Path.Combine(AppContext.BaseDirectory, "deploy");

    // Each document as JSON (the project's own YAML reader), then into the package's model of its kind.
    private static List<object> Render(string directory)
    {
        using var text = new StringReader(Kustomize.Render(directory));
        return Sources.Snapshot.YamlToJson.Convert(text).Where(d => d.Json is not null).Select(d =>
        {
            var json = System.Text.Encoding.UTF8.GetString(d.Json!);
            using var document = JsonDocument.Parse(json);
            var key = $"{document.RootElement.GetProperty("apiVersion").GetString()}/{document.RootElement.GetProperty("kind").GetString()}";
            if (key.StartsWith("cert-manager.io/", StringComparison.Ordinal)) return JsonSerializer.Deserialize<CertManagerObject>(json, JsonSerializerOptions.Web)!;
            var model = Models.TryGetValue(key, out var type) ? type : throw new InvalidOperationException($"no model for {key}");
            return DeserializeModel.MakeGenericMethod(model).Invoke(null, [json, null])!;
        }).ToList();
    }

    // "apiVersion/kind" → the package's model, from the attribute every generated model carries.
    private static readonly Dictionary<string, Type> Models = typeof(V1Pod).Assembly.GetTypes()
        .Select(t => (Type: t, Entity: t.GetCustomAttributes(typeof(KubernetesEntityAttribute), false).OfType<KubernetesEntityAttribute>().FirstOrDefault()))
        .Where(t => t.Entity is not null && !t.Type.Name.EndsWith("List", StringComparison.Ordinal))
        .GroupBy(t => $"{(string.IsNullOrEmpty(t.Entity!.Group) ? "" : t.Entity.Group + "/")}{t.Entity.ApiVersion}/{t.Entity.Kind}")
        .ToDictionary(g => g.Key, g => g.First().Type);

    private static readonly System.Reflection.MethodInfo DeserializeModel = typeof(KubernetesJson).GetMethods()
        .Single(m => m.Name == nameof(KubernetesJson.Deserialize) && m.GetParameters() is [{ ParameterType: var p }, _] && p == typeof(string));

    private static readonly List<object> Base = Render(".");

    private static T One<T>(string? name = null) => Base.OfType<T>().Single(o => name is null || ((IMetadata<V1ObjectMeta>)o!).Metadata.Name == name);

    [Fact]
    public void Install_HasEveryPieceTheAggregationLayerNeeds()
    {
        Base.Select(o => ((IKubernetesObject)o).Kind).Order().ShouldBe(
        [
            "APIService", "ClusterRole", "ClusterRole", "ClusterRole", "ClusterRole", "ClusterRole", "ClusterRoleBinding", "ClusterRoleBinding", "ClusterRoleBinding", "Deployment", "Namespace",
            "PodDisruptionBudget", "RoleBinding", "Service", "ServiceAccount",
        ]);
        One<V1Namespace>().Metadata.Name.ShouldBe(Namespace);
        Base.OfType<IMetadata<V1ObjectMeta>>().Where(o => o.Metadata.NamespaceProperty is not null)
            .ShouldAllBe(o => o.Metadata.NamespaceProperty == Namespace || (o is V1RoleBinding && o.Metadata.NamespaceProperty == "kube-system"));
    }

    [Fact]
    public void EveryBinding_NamesTheServiceAccountTheDeploymentRunsAs()
    {
        var account = One<V1ServiceAccount>();
        One<V1Deployment>().Spec.Template.Spec.ServiceAccountName.ShouldBe(account.Metadata.Name);
        // Every binding but the web view's page (bound to all authenticated users: it holds no data).
        var subjects = Base.OfType<V1ClusterRoleBinding>().Where(b => b.Metadata.Name != "kubediscovery-ui").SelectMany(b => b.Subjects)
            .Concat(Base.OfType<V1RoleBinding>().SelectMany(b => b.Subjects)).ToList();
        subjects.Count.ShouldBe(3);
        subjects.ShouldAllBe(s => s.Kind == "ServiceAccount" && s.Name == account.Metadata.Name && s.NamespaceProperty == account.Metadata.NamespaceProperty);
    }

    [Fact]
    public void Rbac_DelegatesAuthentication_ReadsTheAuthConfigMap_AndNeverWrites()
    {
        Base.OfType<V1ClusterRoleBinding>().ShouldContain(b => b.RoleRef.Kind == "ClusterRole" && b.RoleRef.Name == "system:auth-delegator");
        var authReader = One<V1RoleBinding>();
        (authReader.Metadata.NamespaceProperty, authReader.RoleRef.Kind, authReader.RoleRef.Name).ShouldBe(("kube-system", "Role", "extension-apiserver-authentication-reader"));

        var reader = One<V1ClusterRole>("kubediscovery-reader");
        reader.Rules.SelectMany(r => r.Verbs).Distinct().Order().ShouldBe(["get", "list", "watch"]);
        Base.OfType<V1ClusterRoleBinding>().ShouldContain(b => b.RoleRef.Name == reader.Metadata.Name);
    }

    [Fact]
    public void MetricsReaderRole_GrantsGetOnTheMetricsPath_AndNothingElse()
    {
        var reader = One<V1ClusterRole>("kubediscovery-metrics-reader");
        var rule = reader.Rules.Single();
        (rule.NonResourceURLs.Single(), rule.Verbs.Single()).ShouldBe(("/metrics", "get"));
        rule.Resources.ShouldBeNull();
    }

    [Fact]
    public void Deployment_StopsGracefully_WithinItsTerminationGracePeriod()
    {
        var pod = One<V1Deployment>().Spec.Template.Spec;
        var delay = pod.Containers.Single().Args.Single(a => a.StartsWith("--shutdown-delay-duration=", StringComparison.Ordinal));
        delay.ShouldBe("--shutdown-delay-duration=5s");
        // The delay, then up to 30 s for requests in flight, must end before kubelet's SIGKILL.
        pod.TerminationGracePeriodSeconds!.Value.ShouldBeGreaterThan(5 + 30);
    }

    [Fact]
    public void ViewerRole_GrantsCompositions_AndIsAggregatedIntoView()
    {
        var viewer = One<V1ClusterRole>("kubediscovery-viewer");
        viewer.Metadata.Labels["rbac.authorization.k8s.io/aggregate-to-view"].ShouldBe("true");
        viewer.Rules.ShouldContain(r => r.ApiGroups.SequenceEqual(new[] { "kubediscovery.io" }) && r.Resources.Contains("*/compositions") && r.Verbs.SequenceEqual(new[] { "get" }));
        viewer.Rules.ShouldContain(r => r.Resources.Contains("compositions") && r.Resources.Contains("clustercompositions") && r.Verbs.Contains("list"));
    }

    [Fact]
    public void ViewerRole_GrantsEveryHistorySubresource_TheTimelines_AndSearch()
    {
        var viewer = One<V1ClusterRole>("kubediscovery-viewer");
        var gets = viewer.Rules.Where(r => r.Verbs.SequenceEqual(new[] { "get" })).SelectMany(r => r.Resources).ToList();
        new[] { "*/versions", "*/spechistory", "*/diff", "*/bisect", "*/changes" }.ShouldBeSubsetOf(gets);
        viewer.Rules.ShouldContain(r => r.Resources.SequenceEqual(new[] { "changes" }) && r.Verbs.SequenceEqual(new[] { "list", "watch" }));
        viewer.Rules.ShouldContain(r => r.Resources.SequenceEqual(new[] { "search" }) && r.Verbs.SequenceEqual(new[] { "list" }));
    }

    [Fact]
    public void EveryAuthenticatedUser_MayLoadTheWebViewsPage_AndNothingElseByThatBinding()
    {
        var role = One<V1ClusterRole>("kubediscovery-ui");
        var rule = role.Rules.Single();
        (rule.ApiGroups.Single(), rule.Resources.Single()).ShouldBe(("kubediscovery.io", "ui"));
        rule.Verbs.ShouldBe(["get", "list"]);
        var binding = One<V1ClusterRoleBinding>("kubediscovery-ui");
        binding.RoleRef.Name.ShouldBe("kubediscovery-ui");
        binding.Subjects.Single().Name.ShouldBe("system:authenticated");
    }

    [Fact]
    public void AuditWriterRole_GrantsOnlyPostingAuditEvents()
    {
        var rule = One<V1ClusterRole>("kubediscovery-audit-writer").Rules.Single();
        (rule.ApiGroups.Single(), rule.Resources.Single(), rule.Verbs.Single()).ShouldBe(("kubediscovery.io", "auditevents", "create"));
    }

    [Fact]
    public void Deployment_RecordsHistory_IntoAWritableVolume()
    {
        var pod = One<V1Deployment>().Spec.Template.Spec;
        var container = pod.Containers.Single();
        var db = container.Args.Single(a => a.StartsWith("--history-db=", StringComparison.Ordinal))["--history-db=".Length..];
        var mount = container.VolumeMounts.Single(m => db.StartsWith(m.MountPath + "/", StringComparison.Ordinal));
        pod.Volumes.Single(v => v.Name == mount.Name).EmptyDir.ShouldNotBeNull();
        mount.ReadOnlyProperty.ShouldNotBe(true);
    }

    [Fact]
    public void ThePostgresOverlay_ReadsTheConnectionFromASecret_AndKeepsNoLocalHistory()
    {
        var deployment = Render("history-postgres").OfType<V1Deployment>().Single();
        var container = deployment.Spec.Template.Spec.Containers.Single();
        container.Args.ShouldContain("--history-db=$(KUBEDISCOVERY_HISTORY_DB)");
        var env = container.Env.Single(e => e.Name == "KUBEDISCOVERY_HISTORY_DB");
        (env.ValueFrom.SecretKeyRef.Name, env.ValueFrom.SecretKeyRef.Key).ShouldBe(("kubediscovery-history", "connection"));
        deployment.Spec.Template.Spec.Volumes.Select(v => v.Name).ShouldBe(["tmp"]);
        container.Args.ShouldContain("--shutdown-delay-duration=5s");
    }

    [Fact]
    public void ServiceAndDisruptionBudget_SelectTheDeploymentsPods_AndThePortsLineUp()
    {
        var deployment = One<V1Deployment>();
        var podLabels = deployment.Spec.Template.Metadata.Labels;
        deployment.Spec.Selector.MatchLabels.ShouldBeSubsetOf(podLabels);
        var service = One<V1Service>();
        service.Spec.Selector.ShouldBeSubsetOf(podLabels);
        One<V1PodDisruptionBudget>().Spec.Selector.MatchLabels.ShouldBeSubsetOf(podLabels);

        var container = deployment.Spec.Template.Spec.Containers.Single();
        var port = container.Ports.Single();
        service.Spec.Ports.Single().TargetPort.Value.ShouldBe(port.Name);
        container.Args.ShouldContain($"--secure-port={port.ContainerPort}");
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Dockerfile")).ShouldContain($"EXPOSE {port.ContainerPort}");
    }

    [Fact]
    public void ApiService_PointsAtTheService()
    {
        var apiService = One<V1APIService>();
        var service = One<V1Service>();
        apiService.Metadata.Name.ShouldBe("v1.kubediscovery.io");
        (apiService.Spec.Group, apiService.Spec.Version).ShouldBe(("kubediscovery.io", "v1"));
        (apiService.Spec.Service.Name, apiService.Spec.Service.NamespaceProperty, apiService.Spec.Service.Port)
            .ShouldBe((service.Metadata.Name, service.Metadata.NamespaceProperty, service.Spec.Ports.Single().Port));
        apiService.Spec.GroupPriorityMinimum.ShouldBeInRange(1, 20000);
        apiService.Spec.VersionPriority.ShouldBeInRange(1, 1000);
    }

    [Fact]
    public void Deployment_IsHighlyAvailable_Probed_Bounded_AndUnprivileged()
    {
        var deployment = One<V1Deployment>();
        deployment.Spec.Replicas.ShouldBe(2);
        var pod = deployment.Spec.Template.Spec;
        var container = pod.Containers.Single();
        (container.ReadinessProbe.HttpGet.Scheme, container.ReadinessProbe.HttpGet.Path, container.ReadinessProbe.HttpGet.Port.Value).ShouldBe(("HTTPS", "/readyz", "https"));
        (container.LivenessProbe.HttpGet.Scheme, container.LivenessProbe.HttpGet.Path, container.LivenessProbe.HttpGet.Port.Value).ShouldBe(("HTTPS", "/livez", "https"));
        container.Resources.Requests.Keys.Order().ShouldBe(["cpu", "memory"]);
        container.Resources.Limits.Keys.ShouldContain("memory");
        pod.SecurityContext.RunAsNonRoot.ShouldBe(true);
        container.SecurityContext.ReadOnlyRootFilesystem.ShouldBe(true);
        container.SecurityContext.AllowPrivilegeEscalation.ShouldBe(false);
        container.SecurityContext.Capabilities.Drop.ShouldBe(["ALL"]);
        // The image's user is the one the pod runs as.
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Dockerfile")).ShouldContain($"USER {pod.SecurityContext.RunAsUser}");
    }

    [Fact]
    public void Dockerfile_BuildsTheNativeBinary_AndRunsItWithoutARuntimeAsNonRoot()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Dockerfile")).Where(l => !l.StartsWith('#')).ToList();
        var stages = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        stages.Count.ShouldBe(2);
        stages[0].ShouldContain("dotnet/sdk:10.0-noble-aot"); // clang and zlib, which Native AOT links with
        stages[1].ShouldContain("dotnet/runtime-deps");
        // A runtime identifier: the project's PublishAot makes that publish a native binary.
        lines.ShouldContain(l => l.StartsWith("RUN dotnet publish", StringComparison.Ordinal) && l.Contains("-r linux-x64", StringComparison.Ordinal));
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "KubeDiscovery.csproj")).ShouldContain("<PublishAot>true</PublishAot>");
        var user = lines.Last(l => l.StartsWith("USER ", StringComparison.Ordinal))["USER ".Length..];
        user.ShouldNotBeOneOf("root", "0");
        lines.ShouldContain(l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal) && l.Contains("kubediscovery"));
    }

    [Fact]
    public void CertManagerVariant_ServesTheCertificateKubeApiserverIsToldToTrust()
    {
        var objects = Render("cert-manager");
        var apiService = objects.OfType<V1APIService>().Single();
        apiService.Spec.InsecureSkipTLSVerify.ShouldNotBe(true);
        var injectFrom = apiService.Metadata.Annotations["cert-manager.io/inject-ca-from"].Split('/');

        var certificate = objects.OfType<CertManagerObject>().Single(o => o.Kind == "Certificate" && o.Metadata.Name == injectFrom[1]);
        certificate.Metadata.NamespaceProperty.ShouldBe(injectFrom[0]);
        var service = objects.OfType<V1Service>().Single();
        certificate.Spec["dnsNames"].EnumerateArray().Select(n => n.GetString()).ShouldContain($"{service.Metadata.Name}.{service.Metadata.NamespaceProperty}.svc");

        var pod = objects.OfType<V1Deployment>().Single().Spec.Template.Spec;
        var volume = pod.Volumes.Single(v => v.Secret?.SecretName == certificate.Spec["secretName"].GetString());
        var mount = pod.Containers.Single().VolumeMounts.Single(m => m.Name == volume.Name);
        pod.Containers.Single().Args.ShouldContain($"--tls-cert-file={mount.MountPath}/tls.crt");
        pod.Containers.Single().Args.ShouldContain($"--tls-private-key-file={mount.MountPath}/tls.key");
    }

    /// <summary>cert-manager's kinds, which KubernetesClient has no model for.</summary>
    public sealed class CertManagerObject : IKubernetesObject<V1ObjectMeta>
    {
        public string ApiVersion { get; set; } = "";
        public string Kind { get; set; } = "";
        public V1ObjectMeta Metadata { get; set; } = new();
        public Dictionary<string, JsonElement> Spec { get; set; } = [];
    }
}
