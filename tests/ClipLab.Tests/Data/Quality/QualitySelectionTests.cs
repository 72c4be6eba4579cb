using ClipLab.Data.Quality;
using Xunit;

namespace ClipLab.Tests.Data.Quality;

public class QualitySelectionTests
{
    private static List<ScoredPair> Pairs(params float[] scores) =>
        scores.Select((s, i) => new ScoredPair($"k{i}", "x.tar", s, $"caption {i}")).ToList();

    [Fact]
    public void TopFractionKeepsExactlyTheHighestScoresWithTiesToTheEarlierRow()
    {
        //                   0     1     2    3     4     5    6     7     8     9
        var pairs = Pairs(0.10f, 0.90f, 0.5f, 0.7f, 0.5f, 0.3f, 0.5f, 0.2f, 0.8f, 0.0f);
        var selection = QualitySelection.KeepTop(pairs, 0.4);
        Assert.Equal([1, 8, 3, 2], selection.Rows.OrderByDescending(r => pairs[r].Score).ThenBy(r => r));
        Assert.Equal([1, 2, 3, 8], selection.Rows); // in data order
        Assert.Equal(0.5f, selection.Cut);
        Assert.Equal(2, selection.TiedLeftOut); // rows 4 and 6 also score 0.5
        Assert.Equal(10, selection.Total);
        Assert.Equal("top 40% (0.4)", selection.Rule);

        // Every kept score is ≥ every dropped one, for many random tables and fractions.
        var random = new Random(5);
        for (int trial = 0; trial < 200; trial++)
        {
            var table = Pairs(Enumerable.Range(0, random.Next(0, 60)).Select(_ => (float)Math.Round(random.NextDouble(), 1)).ToArray());
            double fraction = random.Next(1, 101) / 100.0;
            var kept = QualitySelection.KeepTop(table, fraction).Rows;
            Assert.Equal((int)Math.Round((decimal)fraction * table.Count, MidpointRounding.AwayFromZero), kept.Count);
            var dropped = Enumerable.Range(0, table.Count).Except(kept).ToList();
            if (kept.Count > 0 && dropped.Count > 0) Assert.True(kept.Min(r => table[r].Score) >= dropped.Max(r => table[r].Score));
            Assert.Equal(kept, QualitySelection.KeepTop(table, fraction).Rows);
        }
    }

    [Theory]
    [InlineData(10, 0.4, 4)]
    [InlineData(10, 0.3, 3)]   // not 4: 0.3 × 10 is not 3.0000000000000004 here
    [InlineData(7, 0.4, 3)]    // 2.8 rounds up
    [InlineData(11, 0.4, 4)]   // 4.4 rounds down
    [InlineData(6, 0.25, 2)]   // 1.5: halves round up
    [InlineData(5, 1.0, 5)]
    [InlineData(0, 0.5, 0)]
    public void TheKeptCountIsTheRoundedFraction(int total, double fraction, int expected) =>
        Assert.Equal(expected, QualitySelection.CountForFraction(total, fraction));

    [Fact]
    public void NaNScoresRankLast()
    {
        var pairs = Pairs(float.NaN, 0.1f, -0.5f, float.NaN);
        Assert.Equal([1, 2], QualitySelection.KeepTop(pairs, 0.5).Rows);
        Assert.Equal([1], QualitySelection.KeepAtLeast(pairs, 0f).Rows);
    }

    [Fact]
    public void ThresholdKeepsExactlyTheScoresAtOrAboveIt()
    {
        var pairs = Pairs(0.1f, 0.25f, 0.2499f, 0.9f, -1f, 0.25f);
        var selection = QualitySelection.KeepAtLeast(pairs, 0.25f);
        Assert.Equal([1, 3, 5], selection.Rows);
        Assert.Equal(0.25f, selection.Cut);
        Assert.Equal("score ≥ 0.25", selection.Rule);
        Assert.Empty(QualitySelection.KeepAtLeast(pairs, 0.95f).Rows);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(40)]
    [InlineData(double.NaN)]
    public void FractionsOutsideZeroToOneAreRefusedWithTheIntendedForm(double fraction)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => QualitySelection.KeepTop(Pairs(0.1f), fraction));
        Assert.Contains("(0, 1]", error.Message);
        Assert.DoesNotContain("Parameter", error.Message);
        if (fraction == 40) Assert.Contains("give 0.4", error.Message);
    }
}
