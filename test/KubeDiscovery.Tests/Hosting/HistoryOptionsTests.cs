using KubeDiscovery.Hosting;

namespace KubeDiscovery.Tests.Hosting;

/// <summary>The history flags as the command line gives them: what is accepted, and what is refused with a reason.</summary>
public sealed class HistoryOptionsTests
{
    [Theory]
    [InlineData("history.db", false)]
    [InlineData("/var/lib/kubediscovery/history.db", false)]
    [InlineData("Host=db;Database=history;Username=kd", true)]
    [InlineData("postgres://kd:s3cret@db.example:5433/history?sslmode=require", true)]
    public void TheDatabaseFlag_IsASqliteFileOrAPostgresConnection(string value, bool postgres)
    {
        var options = new HistoryOptions { Database = value };

        options.Validate().ShouldBeNull();
        options.IsPostgres.ShouldBe(postgres);
    }

    [Fact]
    public void APostgresUri_IsTranslatedForNpgsql()
    {
        PostgresConnection.TryNormalize("postgres://kd:s3cret@db.example:5433/history?sslmode=require", out var normalized).ShouldBeNull();

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(normalized);
        (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password, builder.SslMode)
            .ShouldBe(("db.example", 5433, "history", "kd", "s3cret", Npgsql.SslMode.Require));
    }

    [Theory]
    [InlineData("Host=db;Bogus=1", "--history-db: not a PostgreSQL connection string")]
    [InlineData("", "--history-db needs a SQLite file or a PostgreSQL connection string")]
    public void ABadDatabase_IsRefused(string value, string message) =>
        new HistoryOptions { Database = value }.Validate()!.ShouldStartWith(message);

    [Fact]
    public void HistoryFlags_WithoutADatabase_AreRefused() =>
        new HistoryOptions { ImportAuditLog = "audit.log" }.Validate().ShouldBe("--history-resources, --history-exclude-resources and --import-audit-log need --history-db");

    [Fact]
    public void RetentionBelowItsFloor_IsRefused()
    {
        new HistoryOptions { Database = "h.db", MaxVersions = 0 }.Validate().ShouldBe("--history-max-versions must be at least 1");
        new HistoryOptions { Database = "h.db", MaxAge = TimeSpan.FromSeconds(5) }.Validate().ShouldBe("--history-max-age must be at least 1m");
    }

    [Fact]
    public void Retention_RunsOftenEnoughToKeepTheAgeLimitToATenth()
    {
        new HistoryOptions { MaxAge = TimeSpan.FromDays(30) }.RetentionInterval.ShouldBe(TimeSpan.FromHours(1));
        new HistoryOptions { MaxAge = TimeSpan.FromHours(1) }.RetentionInterval.ShouldBe(TimeSpan.FromMinutes(6));
        new HistoryOptions { MaxAge = TimeSpan.FromMinutes(2) }.RetentionInterval.ShouldBe(TimeSpan.FromMinutes(1));
    }
}
