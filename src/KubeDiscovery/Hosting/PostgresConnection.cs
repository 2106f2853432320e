using Npgsql;

namespace KubeDiscovery.Hosting;

/// <summary>
/// A PostgreSQL connection string as people write them: Npgsql's keyword form (<c>Host=…;Database=…</c>),
/// or the <c>postgres://user:password@host:port/database?sslmode=…</c> URI that libpq and most tools take,
/// which Npgsql does not read, hence this translation.
/// </summary>
internal static class PostgresConnection
{
    /// <returns>Null when <paramref name="text"/> is usable (<paramref name="normalized"/> holds Npgsql's form), else what is wrong.</returns>
    public static string? TryNormalize(string text, out string normalized)
    {
        normalized = "";
        try
        {
            if (!text.Contains("://", StringComparison.Ordinal))
            {
                normalized = new NpgsqlConnectionStringBuilder(text).ConnectionString;
                return null;
            }
            var uri = new Uri(text);
            var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
            if (uri.Port > 0) builder.Port = uri.Port;
            if (uri.AbsolutePath.Trim('/') is { Length: > 0 } database) builder.Database = Uri.UnescapeDataString(database);
            if (uri.UserInfo.Split(':', 2) is [var user, ..] && user.Length > 0) builder.Username = Uri.UnescapeDataString(user);
            if (uri.UserInfo.Split(':', 2) is [_, var password]) builder.Password = Uri.UnescapeDataString(password);
            foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var (key, value) = pair.Split('=', 2) is [var k, var v] ? (k, Uri.UnescapeDataString(v)) : (pair, "");
                builder[key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : key] = value;
            }
            normalized = builder.ConnectionString;
            return null;
        }
        catch (Exception e) when (e is ArgumentException or UriFormatException or FormatException or KeyNotFoundException)
        {
            return $"not a PostgreSQL connection string: {e.Message}";
        }
    }
}
