using System.Globalization;
using ClipLab.Studies;
using ClipLab.Training;

namespace ClipLab.Cli.Rendering;

/// <summary>
/// Study events as one plain line each (<c>@study …</c>), written by a <c>--jobs</c> child process and read back by the
/// parent, which renders them in its live view.
/// </summary>
internal static class ProgressLines
{
    private const string Prefix = "@study ";

    /// <summary>Writes <paramref name="e"/> to stdout as a line (events the parent does not need are left out).</summary>
    public static void Write(StudyEvent e)
    {
        string? line = e switch
        {
            StudyRunStarted s => $"started {s.RunId} {(s.Resumed ? 1 : 0)}",
            StudyRunProgressed p => string.Create(CultureInfo.InvariantCulture,
                $"progress {p.RunId} {p.Progress.Step} {p.Progress.TotalSteps} {p.Progress.SamplesSeen} {p.Progress.Loss:R} {p.Progress.LearningRate:R} {p.Progress.SamplesPerSecond:R} {p.Progress.Eta.TotalSeconds:R}"),
            StudyRunEvaluating v => $"evaluating {v.RunId}",
            _ => null,
        };
        if (line is not null) Console.Out.WriteLine(Prefix + line);
    }

    /// <summary>Parses a line written by <see cref="Write"/>; other lines give null.</summary>
    public static (string Kind, string RunId, bool Resumed, TrainingProgress? Progress)? Parse(string line)
    {
        if (!line.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        string[] f = line[Prefix.Length..].Split(' ');
        if (f.Length < 2) return null;
        var c = CultureInfo.InvariantCulture;
        return f[0] switch
        {
            "started" when f.Length == 3 => ("started", f[1], f[2] == "1", null),
            "progress" when f.Length == 9 => ("progress", f[1], false, new TrainingProgress(long.Parse(f[2], c), long.Parse(f[3], c), long.Parse(f[4], c),
                double.Parse(f[5], c), double.Parse(f[6], c), double.Parse(f[7], c), TimeSpan.FromSeconds(Math.Min(double.Parse(f[8], c), 1e9)))),
            "evaluating" => ("evaluating", f[1], false, null),
            _ => null,
        };
    }
}
