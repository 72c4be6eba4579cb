namespace ClipLab.Studies.Reporting;

/// <summary>The outcome of testing a claim against a study's runs.</summary>
public enum Verdict
{
    /// <summary>The data show what the claim says, separably from seed noise.</summary>
    Holds,
    /// <summary>The data show the opposite, separably from seed noise.</summary>
    DoesNotHold,
    /// <summary>Too few seeds, effects within seed noise, or missing runs.</summary>
    Inconclusive,
}

/// <summary>Names of <see cref="Verdict"/> values as reports write them.</summary>
public static class VerdictText
{
    /// <summary><c>holds</c>, <c>does not hold</c> or <c>inconclusive</c>.</summary>
    public static string Of(Verdict verdict) => verdict switch
    {
        Verdict.Holds => "holds",
        Verdict.DoesNotHold => "does not hold",
        _ => "inconclusive",
    };

    /// <summary>Combines parts that must all hold: any that does not hold decides; all holding hold; else inconclusive.</summary>
    public static Verdict AllOf(IReadOnlyCollection<Verdict> parts) =>
        parts.Contains(Verdict.DoesNotHold) ? Verdict.DoesNotHold
        : parts.Count > 0 && parts.All(v => v == Verdict.Holds) ? Verdict.Holds
        : Verdict.Inconclusive;
}

/// <summary>Arm A against arm B within one group of matched runs.</summary>
/// <param name="Group">The matched keys' values (e.g. <c>samplesSeen=20000</c>), or empty.</param>
/// <param name="ArmValue">A's value of the arm key.</param>
/// <param name="AgainstValue">B's value of the arm key.</param>
/// <param name="Arm">A's metric over its seeds (fractions, as stored).</param>
/// <param name="Against">B's metric over its seeds.</param>
/// <param name="Test">Welch's test of the difference, or null when an arm has fewer than 2 seeds.</param>
/// <param name="Outcome">What this comparison says about the condition.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record ArmComparison(
    string Group, string ArmValue, string AgainstValue, SeedSpread Arm, SeedSpread Against,
    WelchComparison? Test, Verdict Outcome, string Reason);

/// <summary>The verdict on one condition of a claim.</summary>
/// <param name="Condition">The condition.</param>
/// <param name="Metric">The metric used, or null when the runs have none of the condition's metrics.</param>
/// <param name="Outcome">All its comparisons combined (<see cref="VerdictText.AllOf"/>).</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="Comparisons">Every comparison made.</param>
public sealed record ConditionVerdict(ClaimCondition Condition, string? Metric, Verdict Outcome, string Reason, IReadOnlyList<ArmComparison> Comparisons);

/// <summary>The verdict on one claim from one study's runs at one scale.</summary>
/// <param name="Claim">The claim.</param>
/// <param name="Scale">The scale the runs ran at.</param>
/// <param name="Outcome">All its conditions combined.</param>
/// <param name="Conditions">Each condition's verdict.</param>
public sealed record ClaimVerdict(PaperClaim Claim, string Scale, Verdict Outcome, IReadOnlyList<ConditionVerdict> Conditions);
