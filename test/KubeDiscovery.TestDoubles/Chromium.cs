using OpenQA.Selenium.Chrome;

namespace KubeDiscovery.TestDoubles;

/// <summary>
/// Debian's headless Chromium through its chromedriver (packages chromium and chromium-driver, which
/// .ci/run installs): the browser tests' and the web view benchmark's one way to start it.
/// </summary>
public static class Chromium
{
    public const string BinaryPath = "/usr/bin/chromium";
    public const string DriverDirectory = "/usr/bin";

    public static bool Installed => File.Exists(BinaryPath) && File.Exists(Path.Combine(DriverDirectory, "chromedriver"));

    /// <summary>A fresh browser with its own profile in <paramref name="profile"/>, off every network but loopback.</summary>
    public static ChromeDriver Start(string profile, int width = 1400, int height = 900)
    {
        if (!Installed)
        {
            throw new InvalidOperationException($"Debian's chromium and chromium-driver are needed ({BinaryPath}, {DriverDirectory}/chromedriver): apt-get install chromium chromium-driver (.ci/run installs them)");
        }
        var options = new ChromeOptions { BinaryLocation = BinaryPath, AcceptInsecureCertificates = true };
        // Headless as root needs --no-sandbox; the rest keep Chromium off the network (its background
        // connections are refused here) and out of any profile but its own.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            $"--user-data-dir={profile}", $"--window-size={width},{height}", "--force-color-profile=srgb", "--hide-scrollbars");
        options.SetLoggingPreference(OpenQA.Selenium.LogType.Browser, OpenQA.Selenium.LogLevel.All);
        // The driver's path given, so Selenium Manager never looks for (or downloads) one.
        var service = ChromeDriverService.CreateDefaultService(DriverDirectory, "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
        driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(30);
        return driver;
    }
}
