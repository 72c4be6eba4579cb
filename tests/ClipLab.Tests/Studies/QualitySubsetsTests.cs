using ClipLab.Data.Fashion;
using ClipLab.Data;
using ClipLab.Data.Sources;
using ClipLab.Data.WebDataset;
using ClipLab.Studies;
using Xunit;

namespace ClipLab.Tests.Studies;

public class QualitySubsetsTests
{
    [Fact]
    public void TheScorerStepTrainsScoresAndWritesEachTopFractionThatTheRunsTrainOn()
    {
        string dir = TinyRuns.TempDirectory();
        var samples = new FashionMnistSource(FashionMnistSplit.Test, shuffle: false)
            .Read(SourcePartition.All, 0, 0, new BadSampleCounter(1.0)).Take(512);
        string pool = ShardWriter.WriteAll(samples, Path.Combine(dir, "pool"), "fm", perShard: 128).Pattern;
        string stream = $$"""{ "dataset": "stream", "sources": [ { "type": "webdataset", "shards": "{{pool}}" } ], "workers": 1, "shuffleBuffer": 64 }""";
        string study = Path.Combine(dir, "quality.json");
        string runBase = TinyStudy.Base(samples: 64 * 2, checkpointEvery: 2).Replace("\"data\": { \"trainSubset\": 1024 }", "\"data\": " + stream, StringComparison.Ordinal);
        File.WriteAllText(study, $$"""
            {
              "name": "quality", "claims": ["C-Quality"],
              "scales": { "cpu": {
                "base": {{runBase}},
                "scoring": { "scorer": {{runBase}}, "pool": "{{pool}}" },
                "axes": [ { "key": "data.keepTop", "values": [0.25, 1.0] } ],
                "budget": { "regimes": ["one-epoch"] },
                "evaluation": { "suite": "quick", "tasks": ["retrieval"] }
              } }
            }
            """);
        var definition = StudyLoader.Load(study, "cpu");
        Assert.Equal(["keepTop-0.25_seed-0", "keepTop-1.0_seed-0"], definition.Runs.Select(r => r.RunId));
        string output = Path.Combine(dir, "out");
        var events = new List<StudyEvent>();
        Assert.True(new StudyRunner(definition, output).Run(new InProcessRunExecutor(definition), events.Add));

        Assert.True(File.Exists(Path.Combine(output, "scores.parquet")));
        Assert.True(File.Exists(Path.Combine(QualitySubsets.SubsetFolder(output, 0.25), "manifest.json")));
        var steps = events.OfType<StudyStepStarted>().Select(e => e.Message).ToList();
        Assert.Equal(4, steps.Count);
        Assert.StartsWith("Training the scorer", steps[0]);
        Assert.StartsWith("Scoring the pool", steps[1]);
        Assert.All(steps.Skip(2), s => Assert.StartsWith("Writing the top", s));

        // Again: the scorer, the scores and the subsets are not redone, nor the runs.
        events.Clear();
        Assert.True(new StudyRunner(definition, output).Run(new InProcessRunExecutor(definition), events.Add));
        Assert.Empty(events.OfType<StudyStepStarted>());
        using var store = StudyStore.OpenExisting(output);
        var rows = store.Records();
        Assert.Equal(128, rows.Single(r => r.RunId == "keepTop-0.25_seed-0").UniquePairs);
        Assert.Equal(512, rows.Single(r => r.RunId == "keepTop-1.0_seed-0").UniquePairs);
        Assert.Contains("top-25", rows[0].ResolvedConfigJson);
    }
}
