namespace ClipLab.Evaluation.Evaluators;

/// <summary>
/// The evaluators by name, in the order a suite runs them (which is also the order of the tasks in a report and in
/// lists of valid names). Built in: <c>zeroshot</c>, <c>linear_probe</c>, <c>fewshot</c>, <c>retrieval</c>. A new
/// evaluator is its own file plus one <see cref="Register"/> line (below, or from the code that uses it).
/// </summary>
public static class EvaluatorRegistry
{
    private static readonly object Gate = new();
    private static IEvaluator[] _evaluators = [];

    static EvaluatorRegistry()
    {
        Register(new ZeroShotEvaluator());
        Register(new LinearProbeEvaluator());
        Register(new FewShotEvaluator());
        Register(new RetrievalEvaluator());
    }

    /// <summary>Every registered evaluator, in run order.</summary>
    public static IReadOnlyList<IEvaluator> All => Volatile.Read(ref _evaluators);

    /// <summary>The canonical task names, in run order.</summary>
    public static IReadOnlyList<string> Names => All.Select(e => e.Name).ToArray();

    /// <summary>The canonical names as a comma-separated list, for help texts and error messages.</summary>
    public static string ValidNames => string.Join(", ", Names);

    /// <summary>Adds <paramref name="evaluator"/> after those registered so far (it runs after them).</summary>
    /// <exception cref="ArgumentException">Its name is not lower case letters, digits and '_', or it or an alias is already taken.</exception>
    public static void Register(IEvaluator evaluator)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        string name = evaluator.Name;
        if (string.IsNullOrEmpty(name) || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            throw new ArgumentException($"evaluator name '{name}' must be lower case letters, digits and '_' (it is the task part of metric names)");
        lock (Gate)
        {
            foreach (string spelling in evaluator.Aliases.Prepend(name))
                if (Find(spelling) is { } taken)
                    throw new ArgumentException($"evaluator name '{spelling}' is already taken by the '{taken.Name}' evaluator");
            Volatile.Write(ref _evaluators, [.. _evaluators, evaluator]);
        }
    }

    /// <summary>The evaluator spelled <paramref name="name"/> (its name or an alias; case-insensitive, surrounding spaces ignored), if any.</summary>
    public static bool TryGet(string? name, out IEvaluator evaluator)
    {
        evaluator = Find(name)!;
        return evaluator is not null;
    }

    /// <summary>The evaluator spelled <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No such evaluator; the message lists the valid names.</exception>
    public static IEvaluator Get(string name) =>
        Find(name) ?? throw new ArgumentException($"unknown evaluation task '{name}'. Valid tasks: {ValidNames}");

    /// <summary>The evaluators spelled in <paramref name="names"/>, once each, in run order.</summary>
    /// <exception cref="ArgumentException">A name is unknown; the message lists the valid names.</exception>
    public static IReadOnlyList<IEvaluator> Resolve(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var wanted = names.Select(Get).ToHashSet();
        return All.Where(wanted.Contains).ToArray();
    }

    private static IEvaluator? Find(string? name)
    {
        string normalized = (name ?? "").Trim().ToLowerInvariant();
        return All.FirstOrDefault(e => e.Name == normalized || e.Aliases.Contains(normalized, StringComparer.Ordinal));
    }
}
