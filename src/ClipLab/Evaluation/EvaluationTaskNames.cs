using ClipLab.Evaluation.Evaluators;

namespace ClipLab.Evaluation;

/// <summary>
/// How evaluation tasks are spelled by users: on the command line (<c>cliplab eval --task</c>) and in a run config
/// (<c>evaluation.tasks</c>). The names are those of <see cref="EvaluatorRegistry"/>; older spellings
/// (<c>linear-probe</c>, <c>few-shot</c>) are still accepted and mean the canonical task.
/// </summary>
public static class EvaluationTaskNames
{
    /// <summary>The canonical names: <c>zeroshot</c>, <c>linear_probe</c>, <c>fewshot</c>, <c>retrieval</c> and any registered since.</summary>
    public static IReadOnlyList<string> Canonical => EvaluatorRegistry.Names;

    /// <summary>The canonical names as a comma-separated list, for help texts and error messages.</summary>
    public static string ValidNames => EvaluatorRegistry.ValidNames;

    /// <summary>The canonical name of the task spelled <paramref name="name"/> (case-insensitive, surrounding spaces ignored), if it is one.</summary>
    public static bool TryParse(string? name, out string canonical)
    {
        canonical = EvaluatorRegistry.TryGet(name, out var evaluator) ? evaluator.Name : "";
        return canonical.Length > 0;
    }
}
