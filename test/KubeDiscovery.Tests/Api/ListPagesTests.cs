using KubeDiscovery.Api.Compositions;
using KubeDiscovery.Graph.Model;
using Microsoft.AspNetCore.Http;

namespace KubeDiscovery.Tests.Api;

public sealed class ListPagesTests
{
    private static readonly ResourceType ConfigMaps = new() { Group = "", Version = "v1", Kind = "ConfigMap", Plural = "configmaps", Namespaced = true };

    private static ObjectRecord[] Items(params int[] numbers) =>
        numbers.Select(i => new ObjectRecord(ConfigMaps, "v1", "ns", $"cm{i}", $"uid-{i}", null, [], [], ObjectStatus.None)).ToArray();

    private static async Task<(ListPages.Page? Page, int Status)> Take(string query, ObjectRecord[] items, string parameters)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString("?" + parameters);
        context.Response.Body = new MemoryStream();
        var page = await ListPages.TakeAsync(context, query, () => ValueTask.FromResult<IReadOnlyList<ObjectRecord>>(items));
        return (page, context.Response.StatusCode);
    }

    [Fact]
    public async Task Pages_ReadAsOneList_AndTheLastHasNoToken()
    {
        var items = Items(1, 2, 3, 4, 5);
        List<string> names = [];
        string? token = null;
        var pages = 0;
        do
        {
            var (page, _) = await Take("q", items, "limit=2" + (token is null ? "" : "&continue=" + Uri.EscapeDataString(token)));
            names.AddRange(page!.Roots.Select(r => r.Name));
            page.Remaining.ShouldBe(page.Continue is null ? null : items.Length - names.Count);
            token = page.Continue;
            pages++;
        }
        while (token is not null);

        names.ShouldBe(["cm1", "cm2", "cm3", "cm4", "cm5"]);
        pages.ShouldBe(3);
    }

    [Fact]
    public async Task AToken_NeedsNoServerMemory_SoNoOtherListCanExpireIt()
    {
        var (first, _) = await Take("alice's list", Items(1, 2, 3, 4), "limit=2");

        // Any number of other lists in between (another user's, say) change nothing: the token holds its position.
        for (var i = 0; i < 100; i++) await Take("bob's list", Items(1, 2, 3), "limit=1");
        var (second, status) = await Take("alice's list", Items(1, 2, 3, 4), "limit=2&continue=" + Uri.EscapeDataString(first!.Continue!));

        status.ShouldBe(200);
        second!.Roots.Select(r => r.Name).ShouldBe(["cm3", "cm4"]);
    }

    [Fact]
    public async Task WhatChangedBetweenPages_NeitherRepeatsNorSkipsAnItem()
    {
        var (first, _) = await Take("q", Items(1, 2, 3, 4, 5), "limit=2");

        // cm2 (the last served) and cm3 were deleted, cm0 (before the cut) was created.
        var (second, _) = await Take("q", Items(0, 1, 4, 5), "limit=2&continue=" + Uri.EscapeDataString(first!.Continue!));

        second!.Roots.Select(r => r.Name).ShouldBe(["cm4", "cm5"]);
        second.Continue.ShouldBeNull();
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("0123abcd.1")]
    [InlineData("eyJ2Ijo5fQ")] // {"v":9}
    public async Task ATokenThisServerDidNotGive_Is400(string token)
    {
        var (page, status) = await Take("q", Items(1, 2, 3), "limit=1&continue=" + token);

        page.ShouldBeNull();
        status.ShouldBe(400);
    }

    [Fact]
    public async Task ATokenOfAnotherList_Is400()
    {
        var (first, _) = await Take("configmaps in shop", Items(1, 2, 3), "limit=1");

        var (page, status) = await Take("configmaps in web", Items(1, 2, 3), "limit=1&continue=" + Uri.EscapeDataString(first!.Continue!));

        page.ShouldBeNull();
        status.ShouldBe(400);
    }
}
