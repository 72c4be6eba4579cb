namespace ClipLab.Studies.Reporting;

/// <summary>
/// Whether the difference between two arms' means is separable from seed noise: Welch's two-sided t-test at
/// α = 0.05 (unequal variances, Welch–Satterthwaite degrees of freedom, critical value at the whole degrees of
/// freedom below, which errs towards "not separable"). Two arms with zero spread and different means are separable.
/// </summary>
/// <param name="Effect">Mean of A minus mean of B.</param>
/// <param name="StandardError">Standard error of the difference.</param>
/// <param name="T">Effect ÷ standard error (±∞ when the error is 0 and the effect is not).</param>
/// <param name="DegreesOfFreedom">Welch–Satterthwaite degrees of freedom (n_A + n_B − 2 when both spreads are 0).</param>
/// <param name="Critical">Two-sided 5% critical value of Student's t at those degrees of freedom.</param>
public sealed record WelchComparison(double Effect, double StandardError, double T, double DegreesOfFreedom, double Critical)
{
    /// <summary>The two-sided significance level of the test.</summary>
    public const double Alpha = 0.05;

    /// <summary>True when |t| exceeds the critical value: the effect is not seed noise at the 5% level.</summary>
    public bool Separable => Math.Abs(T) > Critical;

    /// <summary>Compares arm <paramref name="a"/> with arm <paramref name="b"/>; each needs at least 2 seeds.</summary>
    public static WelchComparison Of(SeedSpread a, SeedSpread b)
    {
        if (a.Seeds < 2 || b.Seeds < 2)
            throw new ArgumentException($"Welch's test needs at least 2 seeds per arm (have {a.Seeds} and {b.Seeds}).");
        double effect = a.Mean - b.Mean;
        double va = a.Variance / a.Seeds, vb = b.Variance / b.Seeds;
        double se = Math.Sqrt(va + vb);
        double df = se > 0 ? (va + vb) * (va + vb) / (va * va / (a.Seeds - 1) + vb * vb / (b.Seeds - 1)) : a.Seeds + b.Seeds - 2;
        double t = se > 0 ? effect / se : effect == 0 ? 0 : Math.CopySign(double.PositiveInfinity, effect);
        return new WelchComparison(effect, se, t, df, CriticalT(df));
    }

    // Student's t, two-sided 5%, for 1…30 degrees of freedom; then 40, 60, 120 and the normal limit.
    private static readonly double[] Table =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    /// <summary>The two-sided 5% critical value of Student's t at ⌊<paramref name="degreesOfFreedom"/>⌋ (at least 1).</summary>
    public static double CriticalT(double degreesOfFreedom)
    {
        int df = Math.Max(1, (int)Math.Floor(degreesOfFreedom));
        if (df <= 30) return Table[df - 1];
        if (df < 40) return 2.042;
        if (df < 60) return 2.021;
        if (df < 120) return 2.000;
        return 1.980;
    }
}
