using ClipLab.Studies.Reporting;
using Xunit;

namespace ClipLab.Tests.Studies.Reporting;

public class WelchComparisonTests
{
    [Fact]
    public void MatchesWelchsTestOnAKnownExample()
    {
        // scipy.stats.ttest_ind([1,2,3], [4,5,6], equal_var=False): t = -3.674, df = 4.
        var test = WelchComparison.Of(SeedSpread.Of([1, 2, 3]), SeedSpread.Of([4, 5, 6]));
        Assert.Equal(-3.0, test.Effect, 12);
        Assert.Equal(-3.6742, test.T, 3);
        Assert.Equal(4.0, test.DegreesOfFreedom, 9);
        Assert.Equal(2.776, test.Critical);
        Assert.True(test.Separable);
    }

    [Fact]
    public void UnequalVariancesUseWelchSatterthwaiteDegreesOfFreedom()
    {
        // By hand: var 5/3 and 175/3; se = √(5/12 + 175/9) = 4.4566; t = (11.5 − 11.667) / se = −0.0374; df ≈ 2.086.
        var test = WelchComparison.Of(SeedSpread.Of([10, 12, 11, 13]), SeedSpread.Of([10, 20, 5]));
        Assert.Equal(-0.0374, test.T, 3);
        Assert.InRange(test.DegreesOfFreedom, 2.08, 2.09);
        Assert.Equal(4.303, test.Critical);
        Assert.False(test.Separable);
    }

    [Fact]
    public void ZeroSpreadIsSeparableOnlyWithADifference()
    {
        Assert.True(WelchComparison.Of(SeedSpread.Of([0.5, 0.5]), SeedSpread.Of([0.4, 0.4])).Separable);
        Assert.False(WelchComparison.Of(SeedSpread.Of([0.5, 0.5]), SeedSpread.Of([0.5, 0.5])).Separable);
        Assert.Throws<ArgumentException>(() => WelchComparison.Of(SeedSpread.Of([0.5]), SeedSpread.Of([0.4, 0.4])));
    }

    [Fact]
    public void CriticalValuesFallTowardsTheNormalLimit()
    {
        Assert.Equal(12.706, WelchComparison.CriticalT(0.4));
        Assert.Equal(2.571, WelchComparison.CriticalT(5.9));
        Assert.Equal(2.021, WelchComparison.CriticalT(45));
        Assert.Equal(1.980, WelchComparison.CriticalT(500));
    }
}
