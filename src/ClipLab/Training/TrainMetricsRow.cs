namespace ClipLab.Training;

/// <summary>
/// One <c>train</c> line of <c>metrics.jsonl</c> (and the same scalars in TensorBoard under <c>train/</c>): where the run
/// stands after a step and what the step measured.
/// </summary>
/// <param name="SamplesSeen">Training samples consumed.</param>
/// <param name="Epoch">Passes over the usable samples (NaN, written as null, when the size is unknown).</param>
/// <param name="Gflops">Training compute spent so far.</param>
/// <param name="BadSamples">Samples skipped as unusable so far.</param>
/// <param name="Loss">The step's total loss.</param>
/// <param name="LearningRate">The step's learning rate.</param>
/// <param name="LogitScale">The temperature's inverse, exp(logit scale), after the step.</param>
/// <param name="GradNorm">The norm of all gradients before clipping.</param>
/// <param name="SamplesPerSecond">Recent throughput (an exponential average over steps).</param>
/// <param name="WallSeconds">Training wall-clock seconds over all sessions of the run.</param>
/// <param name="RssMegabytes">Resident memory, so a leak shows in the run's own log.</param>
/// <param name="LogitBias">SigLIP's bias after the step; null for the CLIP loss.</param>
/// <param name="LossTerms">Each loss term by name (SLIP: clip or siglip, and simclr), logged as <c>loss_{name}</c>.</param>
/// <param name="CommunicationShare">Data-parallel runs: the share of this session's training time spent in collectives
/// (waiting for slower ranks included); null, and not logged, in a single process.</param>
public sealed record TrainMetricsRow(long SamplesSeen, double Epoch, double Gflops, long BadSamples, double Loss, double LearningRate,
    double LogitScale, double GradNorm, double SamplesPerSecond, double WallSeconds, double RssMegabytes, double? LogitBias,
    IReadOnlyList<(string Name, double Value)> LossTerms, double? CommunicationShare = null)
{
    /// <summary>The row's values under their <c>metrics.jsonl</c> keys, in the order they are written.</summary>
    public IReadOnlyDictionary<string, object> ToValues()
    {
        var values = new Dictionary<string, object>
        {
            ["samples_seen"] = SamplesSeen,
            ["epoch"] = Epoch,
            ["gflops"] = Gflops,
            ["bad_samples"] = BadSamples,
            ["loss"] = Loss,
            ["lr"] = LearningRate,
            ["logit_scale"] = LogitScale,
            ["grad_norm"] = GradNorm,
            ["samples_per_second"] = SamplesPerSecond,
            ["wall_seconds"] = WallSeconds,
            ["rss_mb"] = RssMegabytes,
        };
        if (LogitBias is double bias) values["logit_bias"] = bias;
        foreach (var (name, value) in LossTerms) values["loss_" + name] = value;
        if (CommunicationShare is double share) values["communication_share"] = share;
        return values;
    }
}
