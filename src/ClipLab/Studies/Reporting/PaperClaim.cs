namespace ClipLab.Studies.Reporting;

/// <summary>What a condition expects of arm A against arm B on the metric.</summary>
public enum ClaimExpectation
{
    /// <summary>A's mean is higher, separably from seed noise.</summary>
    Higher,
    /// <summary>A is not separably higher than B ("no significant gain").</summary>
    NotHigher,
    /// <summary>A's mean is lower, separably from seed noise.</summary>
    Lower,
    /// <summary>A and B are not separable ("comparable performance").</summary>
    Similar,
}

/// <summary>
/// One testable comparison inside a claim. Runs are narrowed by <see cref="Where"/> (in order), then grouped so
/// that compared runs agree on <see cref="MatchOn"/> and on every axis the condition does not name (budget axes
/// <c>training.samplesSeen</c>, <c>training.epochs</c>, <c>training.budgetGflops</c> excepted: they are matched only
/// through <see cref="ArmSelector.SamplesSeenKey"/> in <see cref="MatchOn"/>); within each group, the seeds of arm A
/// are compared with those of arm B.
/// </summary>
/// <param name="Description">The comparison in words, e.g. "at equal samples seen, top 40% beats all data".</param>
/// <param name="Metrics">The metric, as candidate names in order of preference; <c>*</c> in a name matches any
/// benchmark (e.g. <c>*/retrieval/image_to_text_r1</c>). The first name some run has is used.</param>
/// <param name="Arm">Arm A.</param>
/// <param name="Against">Arm B (same key as A), or <see cref="ArmSelector.Others"/>: A against every other value.</param>
/// <param name="Expect">What A against B should show.</param>
/// <param name="MatchOn">Keys on which compared runs must agree, beyond the unnamed axes.</param>
/// <param name="Where">Filters applied first, in order.</param>
public sealed record ClaimCondition(
    string Description,
    IReadOnlyList<string> Metrics,
    ArmSelector Arm,
    string Against,
    ClaimExpectation Expect,
    IReadOnlyList<string> MatchOn,
    IReadOnlyList<ArmSelector> Where);

/// <summary>
/// One of the paper's conclusions as data: the study that tests it and the conditions that must all hold.
/// Claims the studies cannot test at all are listed with no conditions and <see cref="NotTestedBecause"/>.
/// </summary>
/// <param name="Id">The claim's name in the reference list (e.g. <c>C-Quality</c>).</param>
/// <param name="Statement">The claim as the paper states it.</param>
/// <param name="Study">The study whose runs test it.</param>
/// <param name="Conditions">The comparisons; the claim holds when all do.</param>
/// <param name="NotTestedBecause">Why part of the claim is not tested, or null when all of it is.</param>
public sealed record PaperClaim(
    string Id,
    string Statement,
    string Study,
    IReadOnlyList<ClaimCondition> Conditions,
    string? NotTestedBecause = null);
