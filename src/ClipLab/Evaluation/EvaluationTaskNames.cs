namespace ClipLab.Evaluation;

/// <summary>
/// How <see cref="EvaluationTask"/>s are spelled by users: on the command line (<c>cliplab eval --task</c>) and in a
/// run config (<c>evaluation.tasks</c>). One table, so both accept the same names and list the same choices.
/// </summary>
public static class EvaluationTaskNames
{
    // Accepted spellings; the first of each task is the canonical one shown in help and errors. The underscore
    // forms are the task names of the results JSON, accepted so a name copied from a report works too.
    private static readonly (string Name, EvaluationTask Task)[] Spellings =
    [
        ("zeroshot", EvaluationTask.ZeroShot), ("linear-probe", EvaluationTask.LinearProbe), ("few-shot", EvaluationTask.FewShot),
        ("retrieval", EvaluationTask.Retrieval), ("linear_probe", EvaluationTask.LinearProbe), ("fewshot", EvaluationTask.FewShot),
    ];

    /// <summary>The canonical names: <c>zeroshot</c>, <c>linear-probe</c>, <c>few-shot</c>, <c>retrieval</c>.</summary>
    public static IReadOnlyList<string> Canonical { get; } = Spellings.Take(Enum.GetValues<EvaluationTask>().Length).Select(s => s.Name).ToArray();

    /// <summary>The canonical names as a comma-separated list, for help texts and error messages.</summary>
    public static string ValidNames => string.Join(", ", Canonical);

    /// <summary>The task spelled <paramref name="name"/> (case-insensitive, surrounding spaces ignored), if it is one.</summary>
    public static bool TryParse(string? name, out EvaluationTask task)
    {
        string normalized = (name ?? "").Trim().ToLowerInvariant();
        foreach (var spelling in Spellings)
        {
            if (spelling.Name == normalized)
            {
                task = spelling.Task;
                return true;
            }
        }
        task = default;
        return false;
    }
}
