using KubeDiscovery.Graph.Connections;

namespace KubeDiscovery.Graph.Tests.Connections;

/// <summary>Every built-in relation, both ways, over the sample cluster's <c>web</c> namespace.</summary>
public sealed class BuiltInRelationsTests
{
    private const string Pod = "Pod/web/storefront-7d9c5b8f6-abcde";
    private static readonly DemoCluster Demo = new();

    [Fact]
    public void APod_UsesWhatItsSpecNames()
    {
        var edges = Demo.Edges("pods", "web", "storefront-7d9c5b8f6-abcde", direction: Direction.Out);

        edges.ShouldBe(
        [
            $"{Pod} mounts ConfigMap/web/kube-root-ca.crt",
            $"{Pod} mounts ConfigMap/web/storefront-config",
            $"{Pod} mounts PersistentVolumeClaim/web/uploads",
            $"{Pod} mounts Secret/web/session-keys",
            $"{Pod} pulls-images-with Secret/web/registry-creds",
            $"{Pod} reads-env-from ConfigMap/web/feature-flags",
            $"{Pod} reads-env-from ConfigMap/web/storefront-config",
            $"{Pod} reads-env-from Secret/web/storefront-db",
            $"{Pod} runs-on Node/node-1",
            $"{Pod} uses-priority-class PriorityClass.scheduling.k8s.io/web-critical",
            $"{Pod} uses-runtime-class RuntimeClass.node.k8s.io/gvisor",
            $"{Pod} uses-service-account ServiceAccount/web/storefront",
        ], ignoreOrder: true);
    }

    [Fact]
    public void APod_IsOwnedSelectedProtectedRoutedToAndTalkedAbout()
    {
        var edges = Demo.Edges("pods", "web", "storefront-7d9c5b8f6-abcde", direction: Direction.In);

        edges.ShouldBe(
        [
            $"ReplicaSet.apps/web/storefront-7d9c5b8f6 owns {Pod}",
            $"Service/web/storefront selects {Pod}",
            $"PodDisruptionBudget.policy/web/storefront protects {Pod}",
            $"NetworkPolicy.networking.k8s.io/web/web-ingress applies-to {Pod}",
            $"Endpoints/web/storefront routes-to {Pod}",
            $"EndpointSlice.discovery.k8s.io/web/storefront-x7q2m routes-to {Pod}",
            $"Event/web/storefront-7d9c5b8f6-abcde.17a3c0f1 about {Pod}",
        ], ignoreOrder: true);
    }

    [Fact]
    public void ASecret_AnswersWhatUsesIt()
    {
        Demo.Edges("secrets", "web", "registry-creds", direction: Direction.In).ShouldBe(
        [
            "Deployment.apps/web/storefront pulls-images-with Secret/web/registry-creds",
            "ReplicaSet.apps/web/storefront-7d9c5b8f6 pulls-images-with Secret/web/registry-creds",
            "Pod/web/storefront-7d9c5b8f6-abcde pulls-images-with Secret/web/registry-creds",
            "Pod/web/storefront-7d9c5b8f6-fghij pulls-images-with Secret/web/registry-creds",
            "ServiceAccount/web/storefront pulls-images-with Secret/web/registry-creds",
        ], ignoreOrder: true);
        Demo.Edges("secrets", "web", "storefront-tls", direction: Direction.In)
            .ShouldBe(["Ingress.networking.k8s.io/web/storefront terminates-tls-with Secret/web/storefront-tls"]);
        Demo.Edges("secrets", "web", "storefront-token-x2k9p", direction: Direction.In)
            .ShouldBe(["ServiceAccount/web/storefront holds-secret Secret/web/storefront-token-x2k9p"]);
    }

    [Fact]
    public void WorkloadTemplates_UseWhatTheirPodsWillUse()
    {
        foreach (var (resource, name) in new[] { ("deployments", "storefront"), ("replicasets", "storefront-7d9c5b8f6") })
        {
            var edges = Demo.Edges(resource, "web", name, direction: Direction.Out);
            edges.ShouldContain(e => e.EndsWith("mounts Secret/web/session-keys", StringComparison.Ordinal));
            edges.ShouldContain(e => e.EndsWith("uses-service-account ServiceAccount/web/storefront", StringComparison.Ordinal));
            edges.ShouldNotContain(e => e.Contains("runs-on", StringComparison.Ordinal)); // a template runs nowhere
        }
        Demo.Edges("cronjobs", "web", "nightly-report", direction: Direction.Out)
            .ShouldBe(["CronJob.batch/web/nightly-report reads-env-from Secret/web/report-credentials"]);
    }

    [Fact]
    public void AStatefulSet_MountsTheClaimsOfItsTemplates()
    {
        var edges = Demo.Edges("statefulsets", "web", "cache", direction: Direction.Out);

        edges.ShouldContain("StatefulSet.apps/web/cache mounts PersistentVolumeClaim/web/data-cache-0");
        edges.ShouldContain("StatefulSet.apps/web/cache mounts PersistentVolumeClaim/web/data-cache-1");
        edges.ShouldContain("StatefulSet.apps/web/cache uses-storage-class StorageClass.storage.k8s.io/fast");
    }

    [Fact]
    public void AService_SelectsItsPods_AndEndpointsBelongToIt()
    {
        var edges = Demo.Edges("services", "web", "storefront");

        edges.ShouldContain("Service/web/storefront selects Pod/web/storefront-7d9c5b8f6-abcde");
        edges.ShouldContain("Service/web/storefront selects Pod/web/storefront-7d9c5b8f6-fghij");
        edges.ShouldContain("Endpoints/web/storefront endpoints-of Service/web/storefront");
        edges.ShouldContain("EndpointSlice.discovery.k8s.io/web/storefront-x7q2m endpoints-of Service/web/storefront");
        edges.ShouldContain("Service/web/storefront owns EndpointSlice.discovery.k8s.io/web/storefront-x7q2m");
        edges.ShouldContain("Ingress.networking.k8s.io/web/storefront routes-to Service/web/storefront");
        edges.ShouldNotContain(e => e.Contains("cache-0", StringComparison.Ordinal));
    }

    [Fact]
    public void AnIngress_RoutesToServices_UsesItsClass_AndAMissingBackendIsAMissingNode()
    {
        var graph = Demo.Around("ingresses", "web", "storefront", direction: Direction.Out);

        graph.Edges.Select(e => $"{e.Link} {e.To}").ShouldBe(
        [
            "routes-to Service/web/storefront",
            "routes-to Service/web/storefront-admin",
            "terminates-tls-with Secret/web/storefront-tls",
            "uses-ingress-class IngressClass.networking.k8s.io/nginx",
        ], ignoreOrder: true);
        graph.Nodes.Single(n => n.Id == "Service/web/storefront-admin").Missing.ShouldBeTrue();
        graph.Nodes.Single(n => n.Id == "Service/web/storefront").Missing.ShouldBeFalse();
        Demo.Edges("ingressclasses", null, "nginx", direction: Direction.Out)
            .ShouldBe(["IngressClass.networking.k8s.io/nginx configured-by Tenant.platform.example.com/acme"]);
    }

    [Fact]
    public void Storage_ClaimVolumeClassAttachmentAndNode()
    {
        Demo.Edges("persistentvolumeclaims", "web", "uploads", direction: Direction.Out).ShouldBe(
        [
            "PersistentVolumeClaim/web/uploads bound-to PersistentVolume/pv-web-uploads",
            "PersistentVolumeClaim/web/uploads uses-storage-class StorageClass.storage.k8s.io/fast",
        ], ignoreOrder: true);
        var pv = Demo.Edges("persistentvolumes", null, "pv-web-uploads");
        pv.ShouldContain("PersistentVolume/pv-web-uploads uses-storage-class StorageClass.storage.k8s.io/fast");
        pv.ShouldContain("PersistentVolume/pv-web-uploads bound-to PersistentVolumeClaim/web/uploads");
        pv.ShouldContain("VolumeAttachment.storage.k8s.io/csi-3f1e9a7c attaches PersistentVolume/pv-web-uploads");
        Demo.Edges("volumeattachments", null, "csi-3f1e9a7c", direction: Direction.Out)
            .ShouldContain("VolumeAttachment.storage.k8s.io/csi-3f1e9a7c attaches-to Node/node-1");
        Demo.Edges("csinodes", null, "node-1", direction: Direction.Out).ShouldBe(["CSINode.storage.k8s.io/node-1 describes Node/node-1"]);
    }

    [Fact]
    public void Autoscaling_Scales_TheDeployment()
    {
        Demo.Edges("deployments", "web", "storefront", direction: Direction.In)
            .ShouldContain("HorizontalPodAutoscaler.autoscaling/web/storefront scales Deployment.apps/web/storefront");
    }

    [Fact]
    public void Rbac_BindingsGrantRolesToServiceAccounts_AndAggregationIsFollowed()
    {
        Demo.Edges("rolebindings", "web", "storefront-config-reader", direction: Direction.Out).ShouldBe(
        [
            "RoleBinding.rbac.authorization.k8s.io/web/storefront-config-reader binds ServiceAccount/web/storefront",
            "RoleBinding.rbac.authorization.k8s.io/web/storefront-config-reader grants Role.rbac.authorization.k8s.io/web/storefront-config-reader",
        ], ignoreOrder: true);
        Demo.Edges("clusterrolebindings", null, "web-readers", direction: Direction.Out).ShouldBe(
        [
            "ClusterRoleBinding.rbac.authorization.k8s.io/web-readers binds ServiceAccount/web/storefront", // the Group subject is no object
            "ClusterRoleBinding.rbac.authorization.k8s.io/web-readers grants ClusterRole.rbac.authorization.k8s.io/web-reader",
        ], ignoreOrder: true);
        Demo.Edges("clusterroles", null, "web-reader", direction: Direction.Out).ShouldBe(
        [
            "ClusterRole.rbac.authorization.k8s.io/web-reader aggregates ClusterRole.rbac.authorization.k8s.io/web-reader-pods",
            "ClusterRole.rbac.authorization.k8s.io/web-reader aggregates ClusterRole.rbac.authorization.k8s.io/web-reader-services",
        ], ignoreOrder: true);
        Demo.Edges("serviceaccounts", "web", "storefront", direction: Direction.In)
            .ShouldContain("ClusterRoleBinding.rbac.authorization.k8s.io/web-readers binds ServiceAccount/web/storefront");
    }

    [Fact]
    public void WebhooksAndApiServices_CallServices()
    {
        Demo.Edges("validatingwebhookconfigurations", null, "web-policy", direction: Direction.Out)
            .ShouldBe(["ValidatingWebhookConfiguration.admissionregistration.k8s.io/web-policy calls Service/web/policy-webhook"]);
        var mutating = Demo.Around("mutatingwebhookconfigurations", null, "web-defaults", direction: Direction.Out);
        mutating.Nodes.Single(n => n.Id == "Service/web/defaulter").Missing.ShouldBeTrue();
        Demo.Edges("services", "web", "metrics-api", direction: Direction.In)
            .ShouldBe(["APIService.apiregistration.k8s.io/v1beta1.metrics.web.example.com calls Service/web/metrics-api"]);
    }

    [Fact]
    public void DepthTwo_ReachesTheNeighboursOfNeighbours_OnceEach()
    {
        var graph = Demo.Around("persistentvolumeclaims", "web", "uploads", depth: 2);

        graph.Nodes.Select(n => n.Id).ShouldBeUnique();
        graph.Nodes.ShouldContain(n => n.Id == "Node/node-1" && n.Depth == 2); // the claim's Pod runs there
        graph.Nodes.ShouldContain(n => n.Id == "PersistentVolume/pv-web-uploads" && n.Depth == 1);
        graph.Nodes[0].Depth.ShouldBe(0);
    }

    [Fact]
    public void TheNodeBudget_CutsTheAnswer_AndSaysSo()
    {
        var graph = Demo.Around("nodes", null, "node-1", depth: 3, maxNodes: 5);

        graph.Nodes.Count.ShouldBe(5);
        graph.Truncated.ShouldBeTrue();
    }
}
