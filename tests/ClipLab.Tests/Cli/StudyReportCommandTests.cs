using System.Diagnostics;
using System.Text.RegularExpressions;
using ClipLab.Studies.Reporting;
using ClipLab.Tests.Studies.Reporting;
using Xunit;

namespace ClipLab.Tests.Cli;

public sealed class StudyReportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cliplab-study-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ReportWritesHtmlMarkdownFiguresAndVerdictsWithNumbers()
    {
        JsonLinesStudyResults.Write(_dir, StudyTables.DataQuality());
        var (code, output) = CliProcess.Run("study", "report", _dir);
        Assert.True(code == 0, output);
        Assert.Contains("C-Quality-U: holds", output);

        string report = Path.Combine(_dir, StudyReportWriter.DefaultFolder);
        string html = File.ReadAllText(Path.Combine(report, "report.html"));
        string markdown = File.ReadAllText(Path.Combine(report, "report.md"));
        Assert.Equal(12, Directory.GetFiles(Path.Combine(report, "figures"), "*.svg").Length);
        Assert.Equal(12, Directory.GetFiles(Path.Combine(report, "figures"), "*.png").Length);

        // Self-contained: every image is a data URI and nothing is loaded from elsewhere.
        Assert.Equal(12, Regex.Matches(html, "<img [^>]*src=\"data:image/svg\\+xml;base64,").Count);
        Assert.DoesNotMatch("(src|href)=\"(?!data:)", html);
        Assert.DoesNotContain("<link", html);

        foreach (var page in new[] { System.Net.WebUtility.HtmlDecode(html), markdown })
        {
            Assert.Contains("C-Quality", page);
            Assert.Contains("C-Retrieval-Quality", page);
            Assert.Contains("+7.00 pp", page);              // C-Quality at equal samples: 61% vs 54%
            Assert.Contains("61.00 ± 1.00", page);          // the aggregated table's top-40% zero-shot
            Assert.Contains("0.4-s20000-seed2", page);      // a run row
        }
        Assert.Contains("![data-quality (cpu): fashion-mnist zero-shot top-1 vs samples seen](figures/data-quality-fashion-mnist-zeroshot-top1-vs-samples.svg)", markdown);
        Assert.Contains("| C-Quality-U | **holds** | cpu |", markdown);
    }

    [Fact]
    public void TheHtmlReportRendersInHeadlessChromium()
    {
        JsonLinesStudyResults.Write(_dir, StudyTables.DataQuality());
        var (code, output) = CliProcess.Run("study", "report", _dir, "--out", Path.Combine(_dir, "page"));
        Assert.True(code == 0, output);
        string chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Chromium is not installed: run scripts/setup.sh (it installs the chromium package).");
        string screenshot = Path.Combine(_dir, "page.png");
        var info = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                                  $"--user-data-dir={Path.Combine(_dir, "chromium-profile")}", "--window-size=1400,2400",
                                  $"--screenshot={screenshot}", new Uri(Path.Combine(_dir, "page", "report.html")).AbsoluteUri })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "chromium did not finish within 2 minutes");
        Assert.True(File.Exists(screenshot), $"no screenshot; chromium said: {stderr.Result}");
        StudyFiguresTests.AssertNotBlank(File.ReadAllBytes(screenshot));
    }

    [Fact]
    public void AFolderWithoutResultsIsOneClearLine()
    {
        var (code, stdout, stderr) = CliProcess.RunSeparately("study", "report", _dir);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("error: ", stderr);
        Assert.Contains("holds no study results", stderr);
        Assert.Single(stderr.Trim().Split('\n'));

        (code, _, stderr) = CliProcess.RunSeparately("study", "report", Path.Combine(_dir, "nope"));
        Assert.Equal(2, code);
        Assert.Contains("does not exist", stderr);
    }
}
