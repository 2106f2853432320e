using System.Diagnostics;
using KubeDiscovery.TestDoubles;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace KubeDiscovery.EndToEnd.Tests.Ui;

/// <summary>
/// Debian's headless Chromium driven through its chromedriver (both installed by .ci/run), with a fresh
/// profile and no network but loopback. Screenshots of each step go to TestResults/ui/.
/// </summary>
public sealed class Browser : IDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(20);
    private readonly string _profile = Directory.CreateTempSubdirectory("kd-chromium-").FullName;
    private readonly string _screenshots;
    private readonly string _test;
    private int _step;

    public Browser(string test, int width = 1400, int height = 900)
    {
        _test = test;
        _screenshots = Path.Combine(TestResultsDirectory(), "ui");
        Directory.CreateDirectory(_screenshots);
        Driver = Chromium.Start(_profile, width, height);
    }

    public ChromeDriver Driver { get; }

    public void Open(string url) => Driver.Navigate().GoToUrl(url);

    public object? Script(string script, params object[] args) => Driver.ExecuteScript(script, args);

    public IWebElement Find(string css) => WaitFor(() => Driver.FindElements(By.CssSelector(css)).FirstOrDefault(e => e.Displayed), $"an element {css}");

    /// <summary>Polls until <paramref name="probe"/> gives a value (not null, not false); fails with what the page shows.</summary>
    public T WaitFor<T>(Func<T?> probe, string what, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        var limit = timeout ?? DefaultWait;
        Exception? last = null;
        while (true)
        {
            try
            {
                var value = probe();
                if (value is not null && value is not false) return value;
            }
            catch (WebDriverException e)
            {
                last = e; // the page was changing under us: look again
            }
            if (clock.Elapsed > limit)
            {
                var shot = Screenshot("timeout");
                throw new TimeoutException($"no {what} after {clock.Elapsed.TotalSeconds:0.0}s (screenshot {shot}); console:\n{string.Join('\n', ConsoleLines())}", last);
            }
            Thread.Sleep(50); // polling interval of a bounded wait, not a guess at how long something takes
        }
    }

    public void WaitUntil(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        WaitFor(() => condition() ? (object)true : null, what, timeout);

    /// <summary>Waits until the page says it is showing <paramref name="hash"/> and has loaded what it shows.</summary>
    public void WaitForView(string hash)
    {
        string? seen = null;
        try
        {
            WaitUntil(() => (seen = (string?)Script("return document.body.dataset.ready")) == hash, $"view {hash} loaded");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nthe page had loaded: {seen ?? "(nothing)"}", e);
        }
    }

    public string Screenshot(string name)
    {
        var file = Path.Combine(_screenshots, $"{_test}-{++_step:00}-{name}.png");
        Driver.GetScreenshot().SaveAsFile(file);
        return file;
    }

    private readonly List<string> _console = [];

    /// <summary>What the page wrote to its console (errors, CSP violations) since it was last asked.</summary>
    public IReadOnlyList<string> ConsoleLines()
    {
        try
        {
            foreach (var entry in Driver.Manage().Logs.GetLog(LogType.Browser)) _console.Add($"{entry.Level}: {entry.Message}");
        }
        catch (WebDriverException)
        {
            // The session is gone: what was read is all there is.
        }
        return _console;
    }

    private static string TestResultsDirectory()
    {
        // The repository's TestResults/, beside the TRX files `dotnet test` writes (test/test.runsettings).
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KubeDiscovery.slnx"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? Path.GetTempPath(), "TestResults");
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be writing its profile as it exits; the temporary directory is left.
        }
    }
}
