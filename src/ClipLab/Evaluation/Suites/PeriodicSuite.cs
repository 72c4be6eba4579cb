using ClipLab.Configuration;

namespace ClipLab.Evaluation.Suites;

/// <summary>
/// The suite a run evaluates while it trains (<c>evaluation.suite</c>, <c>evaluation.tasks</c>, <c>evaluation.everySamples</c>):
/// built here, where suites and tasks are known by name, so the run config stays plain data.
/// </summary>
public static class PeriodicSuite
{
    /// <summary>
    /// What a periodic evaluation runs: the suite and tasks <paramref name="evaluation"/> names, and no disk feature cache
    /// (the weights differ at every evaluation, so a cached feature could never be reused).
    /// </summary>
    /// <exception cref="ConfigException">The suite or a task is unknown, or another evaluation setting is invalid; the message lists the valid names.</exception>
    public static SuiteOptions Options(EvaluationConfig evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        Validate(evaluation);
        // Validate accepted every name, so each has its canonical spelling (an old one such as "linear-probe" becomes "linear_probe").
        var tasks = evaluation.Tasks.Select(task => EvaluationTaskNames.TryParse(task, out string canonical) ? canonical : task).Distinct().ToArray();
        return new SuiteOptions(EvaluationSuite.Get(evaluation.Suite), tasks) { FeatureCacheDirectory = null };
    }

    /// <summary>Checks <paramref name="evaluation"/>'s values and that its suite and tasks name known ones.</summary>
    /// <exception cref="ConfigException">A value is invalid; the message names the key and lists the valid names.</exception>
    public static void Validate(EvaluationConfig evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        evaluation.Validate();
        if (!EvaluationSuite.Names.Contains(evaluation.Suite))
            throw new ConfigException("evaluation.suite", evaluation.Suite, "one of: " + string.Join(", ", EvaluationSuite.Names));
        foreach (string task in evaluation.Tasks)
            if (!EvaluationTaskNames.TryParse(task, out _))
                throw new ConfigException("evaluation.tasks", task, "one of: " + EvaluationTaskNames.ValidNames);
    }
}
