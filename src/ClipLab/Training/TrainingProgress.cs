namespace ClipLab.Training;

/// <summary>A snapshot of a running training loop, reported after every step.</summary>
/// <param name="Step">Steps completed.</param>
/// <param name="TotalSteps">Steps planned.</param>
/// <param name="SamplesSeen">Training samples consumed.</param>
/// <param name="Loss">Loss of the last step.</param>
/// <param name="LearningRate">Learning rate of the last step.</param>
/// <param name="SamplesPerSecond">Recent throughput.</param>
/// <param name="Eta">Estimated time to finish.</param>
public sealed record TrainingProgress(long Step, long TotalSteps, long SamplesSeen, double Loss, double LearningRate,
    double SamplesPerSecond, TimeSpan Eta);

/// <summary>What a finished (or interrupted) training run reports.</summary>
/// <param name="Steps">Steps completed.</param>
/// <param name="SamplesSeen">Training samples consumed.</param>
/// <param name="Epochs">Passes over the training set: samples seen / <paramref name="UsableSamples"/>.</param>
/// <param name="DatasetSize">Unique training samples.</param>
/// <param name="FinalLoss">Loss of the last step.</param>
/// <param name="WallSeconds">Training wall-clock time over all sessions of the run.</param>
/// <param name="SamplesPerSecond">Throughput of this session's steps.</param>
/// <param name="Checkpoint">Folder of the last checkpoint written.</param>
/// <param name="Completed">False when the run was cancelled before its budget.</param>
/// <param name="GflopsPerSample">Training GFLOPs per sample of the model under the run's strategy (3 × forward; see
/// <c>TrainingCompute</c> and <c>StrategyCost</c>), averaged over the run (FLIP's unmasked tuning costs more per sample).</param>
/// <param name="BadSamples">Samples skipped because they could not be used.</param>
/// <param name="BadSampleSummary">Skipped samples by reason, with where each reason first occurred.</param>
/// <param name="UsableSamples">Samples an epoch really yields: <paramref name="DatasetSize"/> less the share found bad or lost
/// in damaged shards (equal to it when nothing was skipped).</param>
/// <param name="PaperGflopsPerSample">Training GFLOPs per sample under the paper's accounting convention, where the strategy's
/// differs from the honest <paramref name="GflopsPerSample"/> (SLIP: 2× CLIP); null otherwise.</param>
public sealed record TrainingSummary(long Steps, long SamplesSeen, double Epochs, int DatasetSize, double FinalLoss,
    double WallSeconds, double SamplesPerSecond, string Checkpoint, bool Completed, double GflopsPerSample,
    long BadSamples = 0, string BadSampleSummary = "none", long UsableSamples = 0, double? PaperGflopsPerSample = null)
{
    /// <summary>Training compute spent: samples seen × GFLOPs per sample.</summary>
    public double Gflops => SamplesSeen * GflopsPerSample;
}
