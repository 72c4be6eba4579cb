namespace ClipLab.Evaluation.Evaluators;

/// <summary>
/// One evaluation task as a plugin (big_vision's evaluator): it is selected by <see cref="Name"/>
/// (<c>cliplab eval --task</c>, <c>evaluation.tasks</c>), says which parts of the benchmarks it runs on, and runs over
/// a model and a feature cache, returning its metrics. Register one in <see cref="EvaluatorRegistry"/>.
/// </summary>
public interface IEvaluator
{
    /// <summary>
    /// The canonical task name: how it is selected and the task part of its metric names
    /// (<c>benchmark/{Name}/metric</c>, or <c>benchmark/{Name}_{variant}/metric</c> such as <c>fewshot_5</c>).
    /// Lower case letters, digits and '_'.
    /// </summary>
    string Name { get; }

    /// <summary>Older spellings still accepted as input (e.g. <c>linear-probe</c>); never written anywhere.</summary>
    IReadOnlyList<string> Aliases { get; }

    /// <summary>What the evaluator runs on, so that only the image sets some selected evaluator uses are built.</summary>
    EvaluatorNeeds Needs { get; }

    /// <summary>Evaluates <see cref="EvaluationContext.Model"/> on the benchmarks of <paramref name="context"/> that it applies to.</summary>
    /// <exception cref="OperationCanceledException"><see cref="EvaluationContext.Cancellation"/> fired.</exception>
    EvaluatorResult Run(EvaluationContext context);
}
