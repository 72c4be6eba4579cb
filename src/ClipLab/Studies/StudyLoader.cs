using System.Text.RegularExpressions;
using ClipLab.Configuration;
using ClipLab.Evaluation;
using ClipLab.Evaluation.Benchmarks.Standard;
using ClipLab.Evaluation.Suites;

namespace ClipLab.Studies;

/// <summary>
/// Finds a study (a file, or the name of a study shipped in <c>assets/studies</c>), reads it strictly and validates it at one
/// scale: every run of the grid is expanded and its config validated, so a bad study is refused before any training, with
/// a message naming the problem and the valid choices.
/// </summary>
public static partial class StudyLoader
{
    /// <summary>Folder of the shipped studies (copied beside the library).</summary>
    public static string ShippedFolder => Path.Combine(AppContext.BaseDirectory, "assets", "studies");

    /// <summary>Names of the shipped studies, sorted.</summary>
    public static IReadOnlyList<string> ShippedNames =>
        Directory.Exists(ShippedFolder)
            ? Directory.GetFiles(ShippedFolder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>The file of <paramref name="nameOrPath"/>: an existing file, or a shipped study's name.</summary>
    /// <exception cref="ConfigException">Neither a file nor a shipped study; the message lists the shipped ones.</exception>
    public static string Locate(string nameOrPath)
    {
        if (File.Exists(nameOrPath)) return Path.GetFullPath(nameOrPath);
        if (StudyName().IsMatch(nameOrPath))
        {
            string shipped = Path.Combine(ShippedFolder, nameOrPath + ".json");
            if (File.Exists(shipped)) return shipped;
        }
        throw new ConfigException($"no study file or shipped study named '{nameOrPath}'. Shipped studies: {string.Join(", ", ShippedNames)}; " +
            "or give the path of a study JSON file (docs/studies.md).");
    }

    /// <summary>Reads the study file only (no scale chosen yet).</summary>
    public static StudyFile ReadFile(string nameOrPath)
    {
        string path = Locate(nameOrPath);
        var file = ConfigJson.Load<StudyFile>(path);
        if (!StudyName().IsMatch(file.Name))
            throw new ConfigException($"{path}: 'name' must be a lowercase name of letters, digits and dashes (e.g. data-quality), got \"{file.Name}\".");
        if (file.Scales.Defined.Count == 0)
            throw new ConfigException($"{path}: 'scales' is empty; give at least one of: {string.Join(", ", StudyScales.Names)}.");
        return file;
    }

    /// <summary>Loads <paramref name="nameOrPath"/> at <paramref name="scale"/>, expands its grid and validates every run.</summary>
    /// <param name="nameOrPath">A study file, or a shipped study's name.</param>
    /// <param name="scale">One of <see cref="StudyScales.Names"/>, defined by the file.</param>
    /// <param name="checkData">Also check that the data files the runs read exist (off for planning on another machine).</param>
    /// <exception cref="ConfigException">The study is not valid; the message names the key, the value and what is valid.</exception>
    public static StudyDefinition Load(string nameOrPath, string scale, bool checkData = true)
    {
        string path = Locate(nameOrPath);
        var file = ReadFile(path);
        if (!StudyScales.Names.Contains(scale))
            throw new ConfigException("--scale", scale, "one of: " + string.Join(", ", StudyScales.Names));
        if (!file.Scales.Defined.TryGetValue(scale, out var section))
            throw new ConfigException($"study {file.Name} has no scale '{scale}'; it has: {string.Join(", ", file.Scales.Defined.Keys)}.");
        string where = $"study {file.Name} (scale {scale})";
        var baseConfig = BaseConfig(section, path, where);
        ValidateEvaluation(section.Evaluation, where, checkData, section.DataNote);
        ValidateScorer(section, where, checkData);
        var runs = StudyGrid.Expand(section, baseConfig, where);
        foreach (var run in runs) ValidateRun(run, section, where, checkData);
        return new StudyDefinition(file.Name, scale, path, file.Description, file.Claims, section, runs);
    }

    private static RunConfig BaseConfig(StudyScale section, string studyPath, string where)
    {
        if ((section.Base is null) == (section.BaseConfig is null))
            throw new ConfigException($"{where}: give exactly one of 'base' (an inline run config) or 'baseConfig' (the path of a run config file).");
        if (section.Base is not null) return section.Base;
        string relative = Path.Combine(Path.GetDirectoryName(studyPath)!, section.BaseConfig!);
        string file = File.Exists(relative) ? relative : section.BaseConfig!;
        if (!File.Exists(file))
            throw new ConfigException($"{where}: baseConfig '{section.BaseConfig}' not found (looked beside the study file and in {Environment.CurrentDirectory}).");
        return ConfigJson.Load<RunConfig>(file);
    }

    private static void ValidateEvaluation(StudyEvaluation evaluation, string where, bool checkData, string? dataNote)
    {
        if (!EvaluationSuite.Names.Contains(evaluation.Suite))
            throw new ConfigException($"{where}: invalid value for 'evaluation.suite': \"{evaluation.Suite}\". Expected one of: {string.Join(", ", EvaluationSuite.Names)}.");
        if (evaluation.Tasks.Count == 0)
            throw new ConfigException($"{where}: 'evaluation.tasks' is empty; give at least one of: {EvaluationTaskNames.ValidNames}.");
        foreach (string task in evaluation.Tasks)
            if (!EvaluationTaskNames.TryParse(task, out _))
                throw new ConfigException($"{where}: invalid value for 'evaluation.tasks': \"{task}\". Expected one of: {EvaluationTaskNames.ValidNames}.");
        if (!ImageNetClasses.TemplateSets.Contains(evaluation.Templates))
            throw new ConfigException($"{where}: invalid value for 'evaluation.templates': \"{evaluation.Templates}\". Expected one of: {string.Join(", ", ImageNetClasses.TemplateSets)}.");
        foreach (var source in evaluation.Standard)
        {
            try { source.Validated(); }
            catch (ArgumentException ex) { throw new ConfigException($"{where}: 'evaluation.standard': {ex.Message}."); }
        }
        if (!checkData) return;
        string note = dataNote is null ? "" : " " + dataNote;
        foreach (string file in evaluation.Benchmarks)
            if (!File.Exists(file))
                throw new ConfigException($"{where}: evaluation benchmark file '{file}' not found (paths are relative to {Environment.CurrentDirectory}); fix the path or remove it from 'evaluation.benchmarks'.");
        // Checked now, so that a run is not trained for hours and then fails in its evaluation.
        foreach (var source in evaluation.Standard)
            foreach (string path in source.Images is null ? new[] { source.Path } : new[] { source.Path, source.Images })
                if (!File.Exists(path) && !Directory.Exists(path))
                    throw new ConfigException($"{where}: evaluation benchmark {source.Format}: '{path}' not found (paths are relative to {Environment.CurrentDirectory}); " +
                        $"point 'evaluation.standard' at your copy or remove it.{note}");
    }

    private static void ValidateRun(PlannedRun run, StudyScale section, string where, bool checkData)
    {
        var config = run.Config;
        // A quality subset's shards are written by the scorer step, so before it the run is checked on the pool itself.
        if (run.KeepTop is not null && section.Scoring is { } scoring)
            config = config with { Data = config.Data with { Dataset = "stream", Sources = [new WebDatasetSourceConfig { Shards = scoring.Pool }] } };
        string axes = run.Axes.Count == 0 ? "" : " (" + string.Join(", ", run.Axes.Select(a => $"{a.Key}={a.Value}")) + ")";
        ValidateConfig(config, section, $"{where}, run {run.RunId}{axes}", checkData);
    }

    private static void ValidateScorer(StudyScale section, string where, bool checkData)
    {
        if (section.Scoring is not { } scoring) return;
        if (scoring.Scorer is null)
            throw new ConfigException($"{where}: 'scoring.scorer' is missing; give the run config of the model that scores the pool.");
        if (string.IsNullOrWhiteSpace(scoring.Pool))
            throw new ConfigException($"{where}: 'scoring.pool' is empty; give the WebDataset shards to score (a brace pattern).");
        ValidateConfig(scoring.Scorer, section, $"{where}, scoring.scorer", checkData);
    }

    private static void ValidateConfig(RunConfig config, StudyScale section, string where, bool checkData)
    {
        // Planning for another machine checks everything but the data files, which may exist only there.
        if (!checkData)
            config = config with
            {
                Data = config.Data with { Dataset = "fashion-mnist", Sources = [], Root = null, TrainSubset = config.Data.Dataset == "stream" ? null : config.Data.TrainSubset },
            };
        try
        {
            config.Validate();
        }
        catch (ConfigException ex)
        {
            string note = checkData && section.DataNote is { } dataNote && ex.Message.Contains("not exist", StringComparison.Ordinal) ? " " + dataNote : "";
            throw new ConfigException($"{where}: {ex.Message}{note}", ex);
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex StudyName();
}
