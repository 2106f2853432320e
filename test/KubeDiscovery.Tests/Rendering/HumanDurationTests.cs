using KubeDiscovery.Rendering;

namespace KubeDiscovery.Tests.Rendering;

/// <summary>The AGE column reads as kubectl's does (apimachinery's duration.HumanDuration and its tests).</summary>
public sealed class HumanDurationTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(1, "1s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(121, "2m1s")]
    [InlineData((9 * 60) + 59, "9m59s")]
    [InlineData(10 * 60, "10m")]
    [InlineData((179 * 60) + 59, "179m")]
    [InlineData(3 * 3600, "3h")]
    [InlineData((3 * 3600) + 60, "3h1m")]
    [InlineData((7 * 3600) + (59 * 60), "7h59m")]
    [InlineData(8 * 3600, "8h")]
    [InlineData(47 * 3600, "47h")]
    [InlineData(48 * 3600, "2d")]
    [InlineData(49 * 3600, "2d1h")]
    [InlineData((7 * 86400) + (23 * 3600), "7d23h")]
    [InlineData(8 * 86400, "8d")]
    [InlineData(729 * 86400, "729d")]
    [InlineData(730 * 86400, "2y")]
    [InlineData(731 * 86400, "2y1d")]
    [InlineData(8 * 365 * 86400, "8y")]
    public void Ages_ReadAsKubectlPrintsThem(long seconds, string expected)
    {
        HumanDuration.Format(TimeSpan.FromSeconds(seconds)).ShouldBe(expected);
    }

    [Fact]
    public void AClockSlightlyBehind_IsZero_AndFarBehind_IsInvalid()
    {
        HumanDuration.Format(TimeSpan.FromSeconds(-1)).ShouldBe("0s");
        HumanDuration.Format(TimeSpan.FromSeconds(-2)).ShouldBe("<invalid>");
    }
}
