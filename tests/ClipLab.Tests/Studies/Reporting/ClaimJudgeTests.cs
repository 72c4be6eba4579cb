using ClipLab.Studies;
using ClipLab.Studies.Reporting;
using Xunit;
using static ClipLab.Tests.Studies.Reporting.StudyTables;

namespace ClipLab.Tests.Studies.Reporting;

public class ClaimJudgeTests
{
    private static ClaimCondition TopFortyBeatsAll(ClaimExpectation expect = ClaimExpectation.Higher) =>
        new("top 40% beats all data", [ZeroShot], new ArmSelector("data.keepTop", "0.4"), "1", expect, [ArmSelector.SamplesSeenKey], []);

    private static List<StudyRunRecord> TwoArms(double[] topForty, double[] all) =>
        Arm("data-quality", "data.keepTop", "0.4", 10_000, ZeroShot, topForty)
            .Concat(Arm("data-quality", "data.keepTop", "1.0", 10_000, ZeroShot, all)).ToList();

    [Fact]
    public void SeparableGainInTheClaimedDirectionHolds()
    {
        var verdict = ClaimJudge.JudgeCondition(TopFortyBeatsAll(), TwoArms([0.61, 0.62, 0.60], [0.54, 0.53, 0.55]));
        Assert.Equal(Verdict.Holds, verdict.Outcome);
        var comparison = Assert.Single(verdict.Comparisons);
        Assert.Equal(0.07, comparison.Test!.Effect, 9);
        Assert.Equal("1.0", comparison.AgainstValue); // "1" selected "1.0" as a number
        Assert.Equal(3, comparison.Arm.Seeds);
        Assert.Contains("+7.00 pp", verdict.Reason);
        Assert.Equal(ZeroShot, verdict.Metric);
    }

    [Fact]
    public void SeparableEffectTheOtherWayDoesNotHold()
    {
        var verdict = ClaimJudge.JudgeCondition(TopFortyBeatsAll(), TwoArms([0.50, 0.51, 0.49], [0.54, 0.53, 0.55]));
        Assert.Equal(Verdict.DoesNotHold, verdict.Outcome);
        Assert.Contains("lower, separably", verdict.Reason);
    }

    [Fact]
    public void OneSeedPerArmIsInconclusiveHoweverLargeTheEffect()
    {
        var verdict = ClaimJudge.JudgeCondition(TopFortyBeatsAll(), TwoArms([0.90], [0.10]));
        Assert.Equal(Verdict.Inconclusive, verdict.Outcome);
        Assert.Null(Assert.Single(verdict.Comparisons).Test);
        Assert.Contains("too few seeds", verdict.Reason);
    }

    [Fact]
    public void OverlappingSeedsAreInconclusive()
    {
        var verdict = ClaimJudge.JudgeCondition(TopFortyBeatsAll(), TwoArms([0.58, 0.62, 0.55], [0.56, 0.60, 0.53]));
        Assert.Equal(Verdict.Inconclusive, verdict.Outcome);
        Assert.False(verdict.Comparisons[0].Test!.Separable);
        Assert.Contains("within seed noise", verdict.Reason);
    }

    [Fact]
    public void NoGainClaimsNeedThreeSeedsToHoldAndFailOnASeparableGain()
    {
        var noGain = TopFortyBeatsAll(ClaimExpectation.NotHigher);
        Assert.Equal(Verdict.Holds, ClaimJudge.JudgeCondition(noGain, TwoArms([0.55, 0.54, 0.53], [0.54, 0.53, 0.55])).Outcome);
        Assert.Equal(Verdict.Inconclusive, ClaimJudge.JudgeCondition(noGain, TwoArms([0.55, 0.54], [0.54, 0.55])).Outcome);
        Assert.Equal(Verdict.DoesNotHold, ClaimJudge.JudgeCondition(noGain, TwoArms([0.61, 0.62, 0.60], [0.54, 0.53, 0.55])).Outcome);
        var similar = TopFortyBeatsAll(ClaimExpectation.Similar);
        Assert.Equal(Verdict.DoesNotHold, ClaimJudge.JudgeCondition(similar, TwoArms([0.50, 0.51, 0.49], [0.54, 0.53, 0.55])).Outcome);
    }

    [Fact]
    public void RunsAreComparedOnlyAtEqualSamplesSeen()
    {
        // Top 40% at 4 000 samples (one epoch) has no partner at that budget; at 10 000 it loses.
        var runs = TwoArms([0.50, 0.51, 0.49], [0.54, 0.53, 0.55])
            .Concat(Arm("data-quality", "data.keepTop", "0.4", 4_000, ZeroShot, 0.9, 0.91, 0.92)).ToList();
        var verdict = ClaimJudge.JudgeCondition(TopFortyBeatsAll(), runs);
        Assert.Equal(Verdict.DoesNotHold, verdict.Outcome);
        Assert.Equal("samplesSeen=10000", Assert.Single(verdict.Comparisons).Group);
    }

    [Fact]
    public void MissingArmOrMetricIsInconclusiveWithTheReason()
    {
        var onlyAll = Arm("data-quality", "data.keepTop", "1", 10_000, ZeroShot, 0.5, 0.52).ToList();
        var verdict = ClaimJudge.JudgeCondition(TopFortyBeatsAll(), onlyAll);
        Assert.Equal(Verdict.Inconclusive, verdict.Outcome);
        Assert.Contains("no run has data.keepTop = 0.4", verdict.Reason);

        var noMetric = Arm("data-quality", "data.keepTop", "0.4", 10_000, Probe, 0.5, 0.52).ToList();
        Assert.Contains("no run has the metric", ClaimJudge.JudgeCondition(TopFortyBeatsAll(), noMetric).Reason);
    }

    [Fact]
    public void BestAgainstOthersNeedsEveryComparisonToHold()
    {
        var runs = DataQuality();
        var best = new ClaimCondition("80% best", ["*/retrieval/image_to_text_r1"], new ArmSelector("data.keepTop", "0.8"), ArmSelector.Others,
                                      ClaimExpectation.Higher, [ArmSelector.SamplesSeenKey], []);
        var verdict = ClaimJudge.JudgeCondition(best, runs);
        Assert.Equal(ImageToText, verdict.Metric);
        Assert.Equal(["0.2", "0.4", "0.6", "1"], verdict.Comparisons.Select(c => c.AgainstValue));
        // Clear over 0.2 and 0.4 and 1, within noise of 0.6: inconclusive, and the reason names the 0.6 comparison.
        Assert.Equal([Verdict.Holds, Verdict.Holds, Verdict.Inconclusive, Verdict.Holds], verdict.Comparisons.Select(c => c.Outcome));
        Assert.Equal(Verdict.Inconclusive, verdict.Outcome);
        Assert.Contains("data.keepTop = 0.6", verdict.Reason);
    }

    [Fact]
    public void SelectorsPickSmallestLargestAndModelsByCompute()
    {
        var runs = new List<StudyRunRecord>
        {
            Run("vit-size", new Dictionary<string, string> { ["model"] = "vit-small" }, 0, 1000, new Dictionary<string, double>(), gflopsPerSample: 1),
            Run("vit-size", new Dictionary<string, string> { ["model"] = "vit-large" }, 0, 1000, new Dictionary<string, double>(), gflopsPerSample: 9),
            Run("vit-size", new Dictionary<string, string> { ["model"] = "vit-base" }, 0, 5000, new Dictionary<string, double>(), gflopsPerSample: 3),
        };
        Assert.Equal("vit-large", new ArmSelector("model", "largest").Resolve(runs).Value);
        Assert.Equal("vit-base", new ArmSelector("model", "second-largest").Resolve(runs).Value);
        Assert.Equal("1000", new ArmSelector(ArmSelector.SamplesSeenKey, "smallest").Resolve(runs).Value);
        Assert.Equal("vit-small", new ArmSelector("model", "contains:SMALL").Resolve(runs).Value);
        Assert.Contains("several model values", new ArmSelector("model", "contains:vit").Resolve(runs).Problem);
    }

    [Fact]
    public void TheCatalogueJudgesTheDataQualityClaimsOnAFixedTable()
    {
        var verdicts = ClaimJudge.Judge(PaperClaims.All, DataQuality());
        Assert.Equal(["C-Quality", "C-Quality-U", "C-Retrieval-Quality"], verdicts.Select(v => v.Claim.Id));
        Assert.All(verdicts, v => Assert.Equal("cpu", v.Scale));
        var quality = verdicts[0];
        // Equal samples: 61% vs 54% over 3 seeds holds; the table has no one-epoch runs (epochs = 2), so that half is inconclusive.
        Assert.Equal([Verdict.Inconclusive, Verdict.Holds], quality.Conditions.Select(c => c.Outcome));
        Assert.Contains("no run has epochs = 1", quality.Conditions[0].Reason);
        Assert.Equal(Verdict.Inconclusive, quality.Outcome);
        Assert.Equal(Verdict.Holds, verdicts[1].Outcome);
        Assert.Equal(Verdict.Inconclusive, verdicts[2].Outcome);
    }

    [Fact]
    public void CQualityHoldsWhenOneEpochRunsAndEqualSampleRunsBothShowIt()
    {
        // One epoch each: top 40% sees 8 000 samples, all data 20 000; both at 3 seeds.
        var oneEpoch = new[] { (Keep: "0.4", Samples: 8_000L, Values: new[] { 0.58, 0.59, 0.57 }), (Keep: "1", Samples: 20_000L, Values: new[] { 0.50, 0.51, 0.49 }) }
            .SelectMany(arm => arm.Values.Select((v, seed) => Run("data-quality", new Dictionary<string, string> { ["data.keepTop"] = arm.Keep }, seed, arm.Samples,
                new Dictionary<string, double> { [ZeroShot] = v }, epochs: 1)));
        var verdict = ClaimJudge.Judge(PaperClaims.All, DataQuality().Concat(oneEpoch).ToList()).Single(v => v.Claim.Id == "C-Quality");
        Assert.Equal(Verdict.Holds, verdict.Outcome);
        var first = Assert.Single(verdict.Conditions[0].Comparisons);
        Assert.Equal(0.08, first.Test!.Effect, 9);
        // At equal samples the one-epoch all-data runs join the all-data arm at 20 000 samples; the 8 000-sample runs have no partner.
        var second = Assert.Single(verdict.Conditions[1].Comparisons);
        Assert.Equal("samplesSeen=20000", second.Group);
        Assert.Equal(6, second.Against.Seeds);
    }

    [Fact]
    public void KeysSetByACompoundAxisOrABudgetRegimeAreReadFromTheResolvedConfig()
    {
        // As the strategies study writes them: a compound axis "strategy" sets training.strategy (a record with a type),
        // and the fixed-gflops regime sets training.budgetGflops; neither key is an axis of the runs.
        var runs = new List<StudyRunRecord>();
        foreach (var (strategy, samplesZeroShot, gflopsZeroShot) in new[] { ("clip", 0.50, 0.60), ("slip", 0.58, 0.40), ("flip", 0.49, 0.55) })
            for (int seed = 0; seed < 3; seed++)
                foreach (bool gflops in new[] { false, true })
                {
                    string budget = gflops ? "2900" : "null";
                    string config = $$"""{ "training": { "strategy": { "type": "{{strategy}}", "mlpDim": 4096 }, "budgetGflops": {{budget}} } }""";
                    var axes = new Dictionary<string, string> { ["budget"] = gflops ? "fixed-gflops" : "fixed-samples", ["strategy"] = strategy };
                    double value = (gflops ? gflopsZeroShot : samplesZeroShot) + seed / 200.0;
                    runs.Add(Run("strategies", axes, seed, gflops ? 5_000 : 20_000, new Dictionary<string, double> { [ZeroShot] = value }) with { ResolvedConfigJson = config });
                }

        var slip = ClaimJudge.Judge(PaperClaims.All, runs).Single(v => v.Claim.Id == "C-SLIP");
        // Fewest samples seen among the fixed-samples runs (the fixed-GFLOPs ones see fewer): SLIP beats CLIP and FLIP.
        Assert.Equal(Verdict.Holds, slip.Conditions[0].Outcome);
        Assert.Equal(("slip", "clip"), (slip.Conditions[0].Comparisons.Single().ArmValue, slip.Conditions[0].Comparisons.Single().AgainstValue));
        Assert.Equal(Verdict.Holds, slip.Conditions[1].Outcome);
        // At equal GFLOPs (the runs whose resolved config has training.budgetGflops): SLIP is below both others.
        Assert.Equal(Verdict.Holds, slip.Conditions[2].Outcome);
        Assert.Equal(2, slip.Conditions[2].Comparisons.Count);
    }

    [Fact]
    public void EachScaleIsJudgedOnItsOwn()
    {
        var paper = TwoArms([0.70, 0.71, 0.72], [0.60, 0.61, 0.62]).Select(r => r with { Scale = "paper" });
        var verdicts = ClaimJudge.Judge(PaperClaims.All, DataQuality().Concat(paper).ToList()).Where(v => v.Claim.Id == "C-Quality-U").ToList();
        Assert.Equal(["cpu", "paper"], verdicts.Select(v => v.Scale));
        Assert.Equal(Verdict.Holds, verdicts[0].Outcome);
        Assert.Contains("no run has data.keepTop = 0.2", verdicts[1].Conditions[0].Reason);
    }

    [Fact]
    public void EveryClaimOfTheReferenceListIsInTheCatalogueOnce()
    {
        string[] ids = ["C-Quality", "C-Quality-U", "C-Retrieval-Quality", "C-Epochs", "C-Retrieval-Epochs", "C-ViT-Size", "C-Diversity",
                        "C-CNN", "C-LinProbe-Arch", "C-SLIP", "C-FLIP", "C-Aug"];
        Assert.Equal(ids, PaperClaims.All.Select(c => c.Id));
        string[] studies = ["data-quality", "data-quantity", "vit-size", "architectures", "strategies", "data-aug"];
        Assert.All(PaperClaims.All, c => Assert.Contains(c.Study, studies));
        Assert.All(PaperClaims.All, c => Assert.NotEmpty(c.Conditions));
    }
}
