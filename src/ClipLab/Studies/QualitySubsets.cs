using System.Globalization;
using ClipLab.Configuration;
using ClipLab.Data.Quality;
using ClipLab.Runtime;
using ClipLab.Training;

namespace ClipLab.Studies;

/// <summary>
/// The scorer step of a data-quality study, each part resumable and done once per study folder: train the scorer
/// (<c>&lt;out&gt;/scorer</c>, an ordinary run), score every pair of the pool (<c>&lt;out&gt;/scores.parquet</c>, as
/// <c>cliplab data score</c>), and write the top fraction of each <c>data.keepTop</c> value as shards
/// (<c>&lt;out&gt;/subsets/top-40/</c>, as <c>cliplab data filter --keep-top</c>).
/// </summary>
public static class QualitySubsets
{
    /// <summary>
    /// Prepares the subsets of <paramref name="fractions"/> and returns each one's shard pattern; null when cancelled.
    /// </summary>
    public static IReadOnlyDictionary<double, string>? Prepare(StudyScoring scoring, IEnumerable<double> fractions, string studyFolder,
        Func<RunConfig, RunConfig> adjust, Action<StudyEvent> onEvent, TextWriter log, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(scoring);
        ArgumentNullException.ThrowIfNull(adjust);
        ArgumentNullException.ThrowIfNull(onEvent);
        string scorerFolder = Path.Combine(studyFolder, "scorer");
        string scoresPath = Path.Combine(studyFolder, "scores.parquet");
        var wanted = fractions.Distinct().Order().ToList();
        var patterns = new SortedDictionary<double, string>();
        foreach (double fraction in wanted)
            if (ExistingPattern(SubsetFolder(studyFolder, fraction)) is { } pattern) patterns[fraction] = pattern;
        if (patterns.Count == wanted.Count) return patterns;

        if (!File.Exists(scoresPath))
        {
            if (!File.Exists(Path.Combine(scorerFolder, "scorer-done")))
            {
                onEvent(new StudyStepStarted($"Training the scorer in {scorerFolder}"));
                bool resume = Directory.Exists(scorerFolder) && Checkpoint.FindLatest(scorerFolder) is not null;
                using (var trainer = new Trainer(adjust(scoring.Scorer ?? new RunConfig()), scorerFolder, resume, log))
                    if (!trainer.Run(null, cancellation).Completed) return null;
                File.WriteAllText(Path.Combine(scorerFolder, "scorer-done"), "");
            }
            onEvent(new StudyStepStarted($"Scoring the pool {scoring.Pool}"));
            var plan = ScoringPlan.Open(scoring.Pool);
            var (config, tokenizer, model, folder) = Checkpoint.LoadTrained(scorerFolder);
            using (model)
            {
                var device = ComputeDevice.Open(adjust(config).Runtime.Device);
                ModelPlacement.PrepareForInference(model, device, Precision.Fp32);
                new PairScorer(model, tokenizer, Path.GetFullPath(folder)).Score(plan, scoresPath, null, cancellation);
            }
        }
        var scores = ScoreFile.Read(scoresPath);
        foreach (double fraction in wanted.Where(f => !patterns.ContainsKey(f)))
        {
            string folder = SubsetFolder(studyFolder, fraction);
            onEvent(new StudyStepStarted($"Writing the top {fraction:P0} of the pool to {folder}"));
            // A folder left half-written by a kill is redone: QualityFilter only makes it complete or not at all.
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            patterns[fraction] = QualityFilter.Write(scores, QualitySelection.KeepTop(scores.Pairs, fraction), folder, scoresPath).Shards.Pattern;
        }
        return patterns;
    }

    /// <summary>The folder of a subset: <c>subsets/top-40</c> for 0.4.</summary>
    public static string SubsetFolder(string studyFolder, double fraction) =>
        Path.Combine(studyFolder, "subsets", "top-" + (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture));

    /// <summary>The shard pattern of a complete subset folder (it has its manifest), or null.</summary>
    private static string? ExistingPattern(string folder)
    {
        if (!File.Exists(Path.Combine(folder, "manifest.json"))) return null;
        var shards = Directory.GetFiles(folder, "shard-*.tar").Order(StringComparer.Ordinal).ToList();
        if (shards.Count == 0) return null;
        return shards.Count == 1 ? shards[0] : Path.Combine(folder, $"shard-{{00000..{shards.Count - 1:D5}}}.tar");
    }
}
