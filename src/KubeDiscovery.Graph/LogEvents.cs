namespace KubeDiscovery.Graph;

/// <summary>
/// The event id of every log line the server writes, in one list so no two share a number and a log
/// pipeline can filter on them across releases. The library itself logs nothing; the sources and the
/// server, which all reference it, do.
/// </summary>
public static class LogEvents
{
    // The server: start, serve, stop (1-99).
    public const int SourceLoaded = 1;
    public const int Serving = 2;
    public const int SelfSignedCertificate = 3;
    public const int UnhandledError = 4;
    public const int Answered = 5;
    public const int CertificateReloaded = 6;
    public const int CertificateReloadFailed = 7;
    public const int SnapshotSkipped = 8;
    public const int SnapshotDuplicates = 9;
    public const int LoopbackOnly = 10;
    public const int LocalKubeconfig = 11;
    public const int RuleRefused = 12;
    public const int Stopping = 13;
    public const int Settled = 14;

    // The live source: discovery, reflectors (100-199).
    public const int Listed = 100;
    public const int Relisting = 101;
    public const int WatchFailed = 102;
    public const int Recovered = 103;
    public const int UnreadableObject = 104;
    public const int ClusterReachable = 105;
    public const int WatchEnded = 106;
    public const int Following = 110;
    public const int Started = 111;
    public const int Stopped = 112;
    public const int GroupVersionFailed = 113;
    public const int RediscoveryFailed = 114;
    public const int Synced = 115;
    public const int WarningEventsFailed = 116;

    // Security: trust material, reviews, refusals (200-299).
    public const int TrustLoaded = 200;
    public const int ConfigMapMissing = 201;
    public const int ConfigMapUnreadable = 202;
    public const int ConfigMapWatchFailed = 203;
    public const int NoDelegation = 204;
    public const int Unauthenticated = 205;
    public const int Forbidden = 206;
    public const int ReviewFailed = 207;
    public const int CaFileReloadFailed = 208;

    // History: recording, storage, retention, audit (300-399).
    public const int HistoryOpened = 300;
    public const int HistoryUnreachable = 301;
    public const int HistoryPruned = 303;
    public const int HistoryRetentionFailed = 304;
    public const int AuditImported = 305;
    public const int HistoryLost = 306;
}
