namespace KubeDiscovery.Hosting;

/// <summary>Everything one server is started with, as the command line gave it.</summary>
public sealed record ServerOptions(ServingOptions Serving, SourceOptions Source, Security.SecurityOptions Security, LoggingOptions Logging, HistoryOptions? History = null)
{
    /// <summary>The first problem any of the options reports, in the flags' words; null when there is none.</summary>
    public string? Validate() => Logging.Validate() ?? Serving.Validate() ?? Source.Validate() ?? Security.Validate() ?? History?.Validate();
}
