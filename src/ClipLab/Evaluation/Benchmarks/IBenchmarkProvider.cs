namespace ClipLab.Evaluation.Benchmarks;

/// <summary>
/// Makes the benchmarks of one kind for an evaluation run (Fashion-MNIST, emoji, standard formats, benchmark files),
/// or none when the suite does not name it or the options give it nothing. Register one in
/// <see cref="BenchmarkRegistry"/>; benchmarks are made lazily, so images are read only when an evaluator needs them.
/// </summary>
public interface IBenchmarkProvider
{
    /// <summary>Name by which a suite selects it (<see cref="Suites.EvaluationSuite.Benchmarks"/>).</summary>
    string Name { get; }

    /// <summary>Whether it runs without being named by the suite: it is driven by sources in the options (files, folders).</summary>
    bool DrivenByOptions { get; }

    /// <summary>The benchmarks for <paramref name="request"/> (possibly none).</summary>
    BenchmarkSet Provide(BenchmarkRequest request);
}
