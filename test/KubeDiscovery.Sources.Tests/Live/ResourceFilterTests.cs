using KubeDiscovery.Graph.Model;
using KubeDiscovery.Sources.Live;

namespace KubeDiscovery.Sources.Tests.Live;

public sealed class ResourceFilterTests
{
    private static ResourceType Type(string group, string plural) =>
        new() { Group = group, Version = "v1", Kind = plural, Plural = plural, Namespaced = true };

    private static readonly ResourceType Pods = Type("", "pods");
    private static readonly ResourceType CoreEvents = Type("", "events");
    private static readonly ResourceType Events = Type("events.k8s.io", "events");
    private static readonly ResourceType Deployments = Type("apps", "deployments");

    [Fact]
    public void ByDefault_EverythingButEventsIsFollowed()
    {
        var filter = new ResourceFilter([], null);

        filter.Follows(Pods).ShouldBeTrue();
        filter.Follows(Deployments).ShouldBeTrue();
        filter.Follows(CoreEvents).ShouldBeFalse();
        filter.Follows(Events).ShouldBeFalse();
    }

    [Fact]
    public void Resources_NarrowsToTheNamedOnes_ByPluralOrPluralDotGroup()
    {
        var filter = new ResourceFilter(["pods", "Deployments.apps"], null);

        filter.Follows(Pods).ShouldBeTrue();
        filter.Follows(Deployments).ShouldBeTrue();
        filter.Follows(Type("apps", "replicasets")).ShouldBeFalse();
    }

    [Fact]
    public void Resources_CanAskForEventsExplicitly()
    {
        new ResourceFilter(["events.events.k8s.io"], null).Follows(Events).ShouldBeTrue();
    }

    [Fact]
    public void ExcludeResources_ReplacesTheDefaults()
    {
        var filter = new ResourceFilter([], ["deployments.apps"]);

        filter.Follows(Deployments).ShouldBeFalse();
        filter.Follows(CoreEvents).ShouldBeTrue();
    }
}
