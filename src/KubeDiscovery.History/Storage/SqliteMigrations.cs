namespace KubeDiscovery.History.Storage;

/// <summary>
/// The schema, as numbered steps applied in order at open, each in its own transaction and recorded in
/// <c>schema_migrations</c>: a database written by an older release is brought forward, never rebuilt.
/// A step is never edited once released; a change is a new step.
/// </summary>
internal static class SqliteMigrations
{
    public static readonly (int Version, string Sql)[] Steps =
    [
        (1, """
            CREATE TABLE versions (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                uid TEXT NOT NULL,
                resource_version TEXT NOT NULL,
                api_group TEXT NOT NULL,
                resource TEXT NOT NULL,
                namespace TEXT NOT NULL,
                name TEXT NOT NULL,
                change TEXT NOT NULL,
                observed_at INTEGER NOT NULL,
                generation INTEGER,
                managers TEXT NOT NULL,
                changed_paths TEXT NOT NULL,
                patch TEXT,
                snapshot TEXT,
                observed_late INTEGER NOT NULL DEFAULT 0,
                UNIQUE (uid, resource_version)
            );
            CREATE INDEX versions_by_name ON versions (api_group, resource, namespace, name, observed_at);
            CREATE INDEX versions_by_time ON versions (observed_at);
            """),
        // Version numbers that stay put when retention drops older versions (diff?start=N names the same one).
        (2, """
            ALTER TABLE versions ADD COLUMN number INTEGER;
            UPDATE versions SET number = (SELECT COUNT(*) FROM versions older WHERE older.uid = versions.uid AND older.seq <= versions.seq);
            CREATE UNIQUE INDEX versions_number ON versions (uid, number);
            """),
        // Who made each version, from audit events (joined by uid and resourceVersion); a namespace's timeline.
        (3, """
            CREATE TABLE attributions (
                uid TEXT NOT NULL,
                resource_version TEXT NOT NULL,
                username TEXT NOT NULL,
                user_agent TEXT,
                verb TEXT NOT NULL,
                at INTEGER NOT NULL,
                PRIMARY KEY (uid, resource_version)
            );
            CREATE INDEX versions_by_namespace ON versions (namespace, observed_at);
            """),
    ];
}
