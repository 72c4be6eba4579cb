using ClipLab.Training;
using Xunit;

namespace ClipLab.Tests.Training;

public class CosineScheduleTests
{
    [Fact]
    public void WarmsUpLinearlyThenDecaysToMinimum()
    {
        var s = new CosineSchedule(1e-3, WarmupSteps: 10, TotalSteps: 110, MinRatio: 0.1);
        Assert.Equal(1e-4, s.At(0), 12);
        Assert.Equal(1e-3, s.At(9), 12);
        Assert.Equal(1e-3, s.At(10), 12);
        Assert.Equal(1e-3 * (0.1 + 0.9 * 0.5), s.At(60), 12); // half-way through the cosine
        Assert.Equal(1e-4, s.At(110), 12);
        for (long t = 10; t < 110; t++) Assert.True(s.At(t + 1) <= s.At(t));
    }
}
