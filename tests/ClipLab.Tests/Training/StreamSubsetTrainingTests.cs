using ClipLab.Configuration;
using ClipLab.Data;
using ClipLab.Data.Sources;
using ClipLab.Data.WebDataset;
using ClipLab.Training;
using Xunit;

namespace ClipLab.Tests.Training;

/// <summary><c>data.trainSubset</c> on streamed data: the run's accounting counts the subset, and a resumed run reads the same samples.</summary>
public class StreamSubsetTrainingTests
{
    private static List<RawSample> FashionMnist(int count) =>
        new FashionMnistSource(FashionMnistSplit.Test, shuffle: false).Read(SourcePartition.All, 0, 0, new BadSampleCounter(1.0)).Take(count).ToList();

    /// <summary>A CSV table of <paramref name="count"/> real Fashion-MNIST PNGs with their captions.</summary>
    private static string Csv(int count)
    {
        string dir = TinyRuns.TempDirectory();
        var rows = new List<string> { "filepath\ttitle" };
        foreach (var (sample, i) in FashionMnist(count).Select((s, i) => (s, i)))
        {
            File.WriteAllBytes(Path.Combine(dir, $"{i:D5}.{sample.ImageExtension}"), sample.Image);
            rows.Add($"{i:D5}.{sample.ImageExtension}\t{sample.Caption}");
        }
        string path = Path.Combine(dir, "train.tsv");
        File.WriteAllLines(path, rows);
        return path;
    }

    private static RunConfig Config(SourceConfig source, int subset, long samples) => TinyRuns.Config(samples, checkpointEvery: 3) with
    {
        Data = new DataConfig
        {
            Dataset = "stream", Sources = [source], Workers = 2, ShuffleBuffer = 32, TrainSubset = subset, SubsetSeed = 5,
        },
        Evaluation = new EvaluationConfig { ZeroShot = false, Retrieval = false },
    };

    [Fact]
    public void CsvSubset_IsTheDatasetSizeAndEpochs_AndAResumedRunEqualsTheUninterruptedOne()
    {
        // 200 of 600 rows; 8 steps of 64 cross an epoch of the subset (each of 2 workers drops its short tail).
        var config = Config(new CsvSourceConfig { Path = Csv(600) }, subset: 200, samples: 64 * 8);
        TrainingSummary full;
        float[] weights;
        using (var trainer = new Trainer(config, TinyRuns.TempDirectory()))
        {
            full = trainer.Run();
            weights = TinyRuns.Weights(trainer);
        }
        Assert.Equal(200, full.DatasetSize);
        Assert.Equal(64 * 8 / 200.0, full.Epochs, 6);

        string dir = TinyRuns.TempDirectory();
        using (var cts = new CancellationTokenSource())
        using (var trainer = new Trainer(config, dir))
            trainer.Run(p => { if (p.Step == 6) cts.Cancel(); }, cts.Token);
        var state = Checkpoint.LoadState(Checkpoint.FindLatest(dir)!);
        Assert.Equal(6, state.Step);
        Assert.True(state.DataEpoch >= 1, "the interruption should fall after an epoch boundary of the subset");
        using (var trainer = new Trainer(config, dir, resume: true))
        {
            var resumed = trainer.Run();
            Assert.Equal(full.FinalLoss, resumed.FinalLoss);
            Assert.Equal(weights, TinyRuns.Weights(trainer));
            Assert.Equal(200, resumed.DatasetSize);
        }
    }

    [Fact]
    public void WebDatasetSubset_IsCountedAsItsSizeInResultsJson()
    {
        string dir = TinyRuns.TempDirectory();
        var shards = ShardWriter.WriteAll(FashionMnist(512), dir, "fm", perShard: 128);
        var config = Config(new WebDatasetSourceConfig { Shards = shards.Pattern }, subset: 256, samples: 64 * 3);
        string run = Path.Combine(dir, "run");
        var train = TrainingRun.Execute(config, run, resume: false)!.Train;
        Assert.Equal(256, train.DatasetSize);
        Assert.Equal(64 * 3 / 256.0, train.Epochs, 6);
        Assert.Equal(0, train.BadSamples);
    }
}
