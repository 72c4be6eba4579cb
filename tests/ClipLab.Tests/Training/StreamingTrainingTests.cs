using ClipLab.Configuration;
using ClipLab.Data;
using ClipLab.Data.Fashion;
using ClipLab.Data.Sources;
using ClipLab.Data.WebDataset;
using ClipLab.Training;
using TorchSharp;
using Xunit;

namespace ClipLab.Tests.Training;

public class StreamingTrainingTests
{
    /// <summary>512 Fashion-MNIST test images as 4 WebDataset shards.</summary>
    private static string MakeShards()
    {
        string dir = TinyRuns.TempDirectory();
        var samples = new FashionMnistSource(FashionMnistSplit.Test, shuffle: false)
            .Read(SourcePartition.All, 0, 0, new BadSampleCounter(1.0)).Take(512);
        return ShardWriter.WriteAll(samples, dir, "fm", perShard: 128).Pattern;
    }

    private static RunConfig StreamConfig(string shards, long samples) => TinyRuns.Config(samples, checkpointEvery: 4) with
    {
        Data = new DataConfig
        {
            Dataset = "stream",
            Sources = new SourceConfig[] { new WebDatasetSourceConfig { Shards = shards } },
            Augmentation = "crop-flip",
            Workers = 2,
            ShuffleBuffer = 64,
        },
    };

    [Fact]
    public void TrainsFromShardsAndAResumedRunEqualsTheUninterruptedOne()
    {
        string shards = MakeShards();
        // 14 steps of 64 over 512 samples: crosses epoch boundaries (each worker drops its short tail).
        var config = StreamConfig(shards, 64 * 14);
        TrainingSummary full;
        float[] weights;
        using (var trainer = new Trainer(config, TinyRuns.TempDirectory()))
        {
            full = trainer.Run();
            weights = TinyRuns.Weights(trainer);
        }
        Assert.True(full.Completed);
        Assert.Equal(512, full.DatasetSize); // from the manifest
        Assert.Equal(0, full.BadSamples);

        string dir = TinyRuns.TempDirectory();
        using (var cts = new CancellationTokenSource())
        using (var trainer = new Trainer(config, dir))
            trainer.Run(p => { if (p.Step == 9) cts.Cancel(); }, cts.Token);
        var state = Checkpoint.LoadState(Checkpoint.FindLatest(dir)!);
        Assert.Equal(9, state.Step);
        Assert.True(state.DataEpoch >= 1, "the interruption should fall after an epoch boundary");
        using (var trainer = new Trainer(config, dir, resume: true))
        {
            var resumed = trainer.Run();
            Assert.Equal(full.FinalLoss, resumed.FinalLoss);
            Assert.Equal(weights, TinyRuns.Weights(trainer));
        }
    }

    [Fact]
    public void CorruptSamplesAreSkippedCountedAndReported()
    {
        string dir = TinyRuns.TempDirectory();
        var good = new FashionMnistSource(FashionMnistSplit.Test, shuffle: false).Read(SourcePartition.All, 0, 0, new BadSampleCounter(1.0)).Take(300).ToList();
        // Every 100th image is truncated: 3 corrupt images out of 300 (1%, at the default threshold).
        var samples = good.Select((s, i) => i % 100 == 50 ? s with { Image = s.Image[..20] } : s);
        string shards = ShardWriter.WriteAll(samples, dir, "bad", perShard: 100).Pattern;
        var config = StreamConfig(shards, 64 * 6) with { };
        config = config with { Data = config.Data with { MaxBadFraction = 0.05 } };
        using var trainer = new Trainer(config, TinyRuns.TempDirectory());
        var summary = trainer.Run();
        Assert.True(summary.BadSamples >= 3);
        Assert.Contains("corrupt image", summary.BadSampleSummary);
        Assert.Contains("bad-0000", summary.BadSampleSummary);
    }

    [Fact]
    public void TooMuchBadDataStopsTheRunNamingShardAndReason()
    {
        string dir = TinyRuns.TempDirectory();
        var samples = new FashionMnistSource(FashionMnistSplit.Test, shuffle: false).Read(SourcePartition.All, 0, 0, new BadSampleCounter(1.0))
            .Take(400).Select((s, i) => i % 10 == 0 ? s with { Caption = " " } : s);
        string shards = ShardWriter.WriteAll(samples, dir, "empty", perShard: 100).Pattern;
        using var trainer = new Trainer(StreamConfig(shards, 64 * 6), TinyRuns.TempDirectory());
        var ex = Assert.Throws<BadDataException>(() => trainer.Run());
        Assert.Contains("empty caption", ex.Message);
        Assert.Contains("empty-0000", ex.Message);
    }
}

public class LostSampleAccountingTests
{
    [Fact]
    public void ATruncatedShardShowsInTheUsableSamplesAndTheEpochsOfResultsJson()
    {
        string dir = TinyRuns.TempDirectory();
        var samples = new FashionMnistSource(FashionMnistSplit.Test, shuffle: false).Read(SourcePartition.All, 0, 0, new BadSampleCounter(1.0)).Take(512);
        var shards = ShardWriter.WriteAll(samples, dir, "fm", perShard: 128);
        byte[] bytes = File.ReadAllBytes(shards.ShardPaths[2]);
        File.WriteAllBytes(shards.ShardPaths[2], bytes[..(bytes.Length / 2)]); // really truncated: about 64 of 128 samples lost
        var config = TinyRuns.Config(64 * 12, checkpointEvery: 100) with
        {
            Data = new DataConfig
            {
                Dataset = "stream", Sources = new SourceConfig[] { new WebDatasetSourceConfig { Shards = shards.Pattern } },
                Workers = 2, ShuffleBuffer = 64, MaxBadFraction = 0.5,
            },
            Evaluation = new EvaluationConfig { ZeroShot = false, Retrieval = false },
        };
        string run = Path.Combine(dir, "run");
        var train = TrainingRun.Execute(config, run, resume: false)!.Train;
        var saved = RunResults.Load(Path.Combine(run, TrainingRun.ResultsFile)).Train;

        Assert.Equal(train, saved);
        Assert.Equal(512, saved.DatasetSize); // as the manifest lists it
        Assert.InRange(saved.UsableSamples, 512 - 80, 512 - 50);
        Assert.True(saved.BadSamples >= 50, saved.BadSampleSummary); // the lost samples, not 1 per epoch
        Assert.Contains("of the 128 samples its manifest lists are lost", saved.BadSampleSummary);
        // Epochs are passes over what the data really yields, not samples seen / listed size.
        Assert.InRange(saved.Epochs * saved.UsableSamples / saved.SamplesSeen, 0.995, 1.005);
        Assert.True(saved.Epochs > (double)saved.SamplesSeen / 512 + 0.1);
    }
}
