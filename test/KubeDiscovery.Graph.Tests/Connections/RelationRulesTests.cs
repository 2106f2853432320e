using System.Text.Json.Nodes;
using KubeDiscovery.Graph.Connections;

namespace KubeDiscovery.Graph.Tests.Connections;

/// <summary>Relations of custom resources, as data: CRD annotations, rule files and rules ConfigMaps.</summary>
public sealed class RelationRulesTests
{
    [Fact]
    public void KubePlusAnnotations_OnTheCrd_ConnectTheCustomResource()
    {
        var demo = new DemoCluster();

        var edges = demo.Edges("postgreses", "shop", "orders-db", direction: Direction.Out);

        edges.ShouldContain("Postgres.db.example.com/shop/orders-db refers-to Secret/shop/orders-db-creds"); // specproperty-relationship
        edges.ShouldContain("Postgres.db.example.com/shop/orders-db labels PersistentVolumeClaim/shop/orders-db-data"); // label-relationship
        edges.ShouldContain("Postgres.db.example.com/shop/orders-db owns Deployment.apps/shop/orders-db");
        demo.Edges("persistentvolumeclaims", "shop", "orders-db-data", direction: Direction.In)
            .ShouldBe(["Postgres.db.example.com/shop/orders-db labels PersistentVolumeClaim/shop/orders-db-data"]);
        demo.Cache.Relations.Current.Errors.ShouldBeEmpty();
    }

    [Fact]
    public void ARulesConfigMap_DescribesAKindWithoutCode()
    {
        var demo = new DemoCluster();

        demo.Edges("tenants", null, "acme", direction: Direction.Out)
            .ShouldContain("Tenant.platform.example.com/acme provisions Namespace/shop");
    }

    [Fact]
    public void AnInvalidRule_IsReportedWithItsSource_AndTheOthersStillApply()
    {
        var demo = new DemoCluster();
        var configMap = DemoCluster.Sample("ConfigMap", "kube-system", "kubediscovery-relations");
        configMap["data"]!["broken.yaml"] = """
            apiVersion: kubediscovery.io/v1
            kind: RelationRules
            rules:
            - from: {kind: Tenant}
              path: spec..namespaces
              to: {kind: Namespace}
            - from: {kind: NoSuchKind}
              path: spec.x
              to: {kind: Secret}
            """;

        demo.Apply(configMap);

        demo.Cache.Relations.Current.Errors.Select(e => e.ToString()).ShouldBe(
        [
            "ConfigMap kube-system/kubediscovery-relations broken.yaml: rules[0]: path \"spec..namespaces\" must be dotted field names, each optionally followed by [] for list items",
            "ConfigMap kube-system/kubediscovery-relations broken.yaml: rules[1]: unknown kind NoSuchKind: give from.group, or install its CRD",
        ]);
        demo.Edges("tenants", null, "acme", direction: Direction.Out).ShouldContain("Tenant.platform.example.com/acme provisions Namespace/shop");
    }

    [Fact]
    public void MalformedRuleText_IsAnError_NotACrash()
    {
        var demo = new DemoCluster();
        var configMap = DemoCluster.Sample("ConfigMap", "kube-system", "kubediscovery-relations");
        configMap["data"]!["tenants.yaml"] = "rules: [unclosed";

        demo.Apply(configMap);

        demo.Cache.Relations.Current.Errors.ShouldHaveSingleItem().Source.ShouldBe("ConfigMap kube-system/kubediscovery-relations tenants.yaml");
        // The rule is gone, so are its edges, though the Tenant was read under it.
        demo.Edges("tenants", null, "acme", direction: Direction.Out).ShouldNotContain(e => e.Contains("provisions", StringComparison.Ordinal));
        demo.Edges("namespaces", null, "shop", direction: Direction.In).ShouldNotContain(e => e.Contains("provisions", StringComparison.Ordinal));
    }

    [Fact]
    public void ALabelRuleAddedAtRunTime_AppliesAtOnce_ToObjectsAlreadyIndexed()
    {
        var demo = new DemoCluster();
        var crd = DemoCluster.Sample("CustomResourceDefinition", null, "postgreses.db.example.com");
        crd["metadata"]!["annotations"]!["resource/label-relationship"] = "on:Pod;PersistentVolumeClaim, key:app, value:INSTANCE.metadata.name";

        demo.Apply(crd);

        // The orders-db Pods carry app=orders-db: found from labels already in the index, nothing read again.
        demo.Edges("postgreses", "shop", "orders-db", direction: Direction.Out)
            .ShouldContain(e => e.StartsWith("Postgres.db.example.com/shop/orders-db labels Pod/shop/orders-db-", StringComparison.Ordinal));
    }

    [Fact]
    public void AnAnnotationRule_ConnectsTheAnnotatedObjectToTheInstance()
    {
        var demo = new DemoCluster();
        var crd = DemoCluster.Sample("CustomResourceDefinition", null, "postgreses.db.example.com");
        crd["metadata"]!["annotations"]!["resource/annotation-relationship"] = "on:Pod, key:db.example.com/uses, value:contains(INSTANCE.metadata.name)";
        demo.Apply(crd);
        var pod = DemoCluster.Sample("Pod", "shop", "cart-84c6d7b9f5-x7k2p");
        pod["metadata"]!["annotations"] = new JsonObject { ["db.example.com/uses"] = "cache-db, orders-db" };

        demo.Apply(pod);

        demo.Edges("postgreses", "shop", "orders-db", direction: Direction.In)
            .ShouldContain("Pod/shop/cart-84c6d7b9f5-x7k2p refers-to Postgres.db.example.com/shop/orders-db");
    }

    [Fact]
    public void UnsupportedKubePlusForms_AreReported()
    {
        var demo = new DemoCluster();
        var crd = DemoCluster.Sample("CustomResourceDefinition", null, "postgreses.db.example.com");
        crd["metadata"]!["annotations"]!["resource/specproperty-relationship"] = "on:INSTANCE.spec.volumeMounts, value:Deployment.spec.containers.volumemounts.mountpath";

        demo.Apply(crd);

        demo.Cache.Relations.Current.Errors.ShouldHaveSingleItem().Message
            .ShouldBe("only value:<Kind>.metadata.name is supported, found \"Deployment.spec.containers.volumemounts.mountpath\"");
    }

    [Fact]
    public void ARulesFile_IsReadLikeAConfigMap()
    {
        var demo = new DemoCluster();

        demo.Cache.Relations.AddFile("relations.yaml", """
            apiVersion: kubediscovery.io/v1
            kind: RelationRules
            rules:
            - from: {group: db.example.com, kind: Postgres}
              selector: spec.podSelector
              to: {kind: Pod}
              link: serves
            """);

        demo.Cache.Relations.Current.Errors.ShouldBeEmpty();
        demo.Cache.Relations.Current.Plans.For("db.example.com", "Postgres").Captures.ShouldContain(c => c.Link == "serves");
    }
}
