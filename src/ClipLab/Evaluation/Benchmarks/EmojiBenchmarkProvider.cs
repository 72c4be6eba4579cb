namespace ClipLab.Evaluation.Benchmarks;

/// <summary>
/// Provider <c>emoji</c>: the emoji group and subgroup benchmarks (<see cref="EmojiBenchmark"/>) from the shards in
/// <see cref="Suites.SuiteOptions.EmojiFolder"/>; reported as skipped, with how to build them, when the shards are
/// missing. They have no training split, so they are made only when an evaluator runs on test images alone.
/// </summary>
public sealed class EmojiBenchmarkProvider : IBenchmarkProvider
{
    /// <inheritdoc />
    public string Name => "emoji";

    /// <inheritdoc />
    public bool DrivenByOptions => false;

    /// <inheritdoc />
    public BenchmarkSet Provide(BenchmarkRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.TestOnlyUsed) return BenchmarkSet.Empty;
        string folder = request.Options.EmojiFolder ?? EmojiBenchmark.DefaultFolder;
        if (EmojiBenchmark.TryCreate(folder, request.ImageSize, request.Channels, out string reason) is { } emoji)
            return new BenchmarkSet([emoji.Group, emoji.Subgroup], [], new Dictionary<string, string>());
        request.Log.WriteLine($"Skipping the emoji benchmarks: {reason}.");
        return new BenchmarkSet([], [], new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [EmojiBenchmark.GroupName] = reason,
            [EmojiBenchmark.SubgroupName] = reason,
        });
    }
}
