using System.Globalization;
using System.Text.RegularExpressions;

namespace ClipLab.Studies.Reporting;

/// <summary>
/// Computes the verdicts on the paper's claims from a study's runs. The rule, per comparison of arm A with arm B:
/// <list type="bullet">
/// <item>Either arm with fewer than <see cref="MinSeeds"/> seeds: inconclusive (no spread to compare with).</item>
/// <item>Otherwise Welch's two-sided t-test at 5% (<see cref="WelchComparison"/>) decides whether the effect is
/// separable from seed noise. "Higher"/"Lower" hold when it is and points the claimed way, do not hold when it
/// is and points the other way, and are inconclusive when it is not.</item>
/// <item>"Not higher"/"similar" (claims of no gain) do not hold when the test separates a gain (a difference);
/// they hold only with at least <see cref="MinSeedsForNoEffect"/> seeds per arm, since two seeds can hide almost
/// any effect; otherwise inconclusive.</item>
/// </list>
/// A condition holds when every comparison it makes holds, does not hold when any does not, and is otherwise
/// inconclusive; the same combines conditions into the claim's verdict.
/// </summary>
public static class ClaimJudge
{
    /// <summary>Fewest seeds per arm for any verdict but inconclusive.</summary>
    public const int MinSeeds = 2;

    /// <summary>Fewest seeds per arm for a claim of no effect to hold.</summary>
    public const int MinSeedsForNoEffect = 3;

    private static readonly HashSet<string> BudgetAxes = ["training.samplesSeen", "training.epochs", "training.budgetGflops"];

    /// <summary>
    /// The verdict on every claim in <paramref name="claims"/> whose study is among <paramref name="runs"/>, once per
    /// scale that study ran at; claims of other studies are left out.
    /// </summary>
    public static IReadOnlyList<ClaimVerdict> Judge(IReadOnlyList<PaperClaim> claims, IReadOnlyList<StudyRunRecord> runs)
    {
        var verdicts = new List<ClaimVerdict>();
        foreach (var claim in claims.Where(c => c.Conditions.Count > 0))
        {
            var ofStudy = runs.Where(r => string.Equals(r.Study, claim.Study, StringComparison.OrdinalIgnoreCase)).ToList();
            foreach (var scale in ofStudy.Select(r => r.Scale).Distinct().Order(StringComparer.Ordinal))
            {
                var atScale = ofStudy.Where(r => r.Scale == scale).ToList();
                var conditions = claim.Conditions.Select(c => JudgeCondition(c, atScale)).ToList();
                verdicts.Add(new ClaimVerdict(claim, scale, VerdictText.AllOf(conditions.Select(c => c.Outcome).ToList()), conditions));
            }
        }
        return verdicts;
    }

    /// <summary>The verdict on one condition from the runs of one study at one scale.</summary>
    public static ConditionVerdict JudgeCondition(ClaimCondition condition, IReadOnlyList<StudyRunRecord> runs)
    {
        string? metric = ResolveMetric(condition.Metrics, runs);
        if (metric is null)
            return Inconclusive(condition, null, $"no run has the metric {string.Join(" or ", condition.Metrics)}");

        IReadOnlyList<StudyRunRecord> kept = runs.Where(r => r.Metrics.ContainsKey(metric)).ToList();
        foreach (var filter in condition.Where)
        {
            if (filter.Select.Equals(ArmSelector.Any, StringComparison.OrdinalIgnoreCase))
            {
                kept = kept.Where(r => ArmSelector.ValueOf(r, filter.Key) is not null).ToList();
                if (kept.Count == 0) return Inconclusive(condition, metric, $"no run has {filter.Key}");
                continue;
            }
            if (filter.Select.Equals(ArmSelector.Absent, StringComparison.OrdinalIgnoreCase))
            {
                kept = kept.Where(r => ArmSelector.ValueOf(r, filter.Key) is null).ToList();
                if (kept.Count == 0) return Inconclusive(condition, metric, $"every run has {filter.Key}");
                continue;
            }
            var (value, problem) = filter.Resolve(kept);
            if (value is null) return Inconclusive(condition, metric, problem!);
            kept = kept.Where(r => ArmSelector.ValueOf(r, filter.Key) is { } v && ArmSelector.SameValue(v, value)).ToList();
        }

        string armKey = condition.Arm.Key;
        var (armValue, armProblem) = condition.Arm.Resolve(kept);
        if (armValue is null) return Inconclusive(condition, metric, armProblem!);
        List<string> againstValues;
        if (condition.Against.Equals(ArmSelector.Others, StringComparison.OrdinalIgnoreCase))
        {
            againstValues = ArmSelector.Order(kept, armKey).Where(v => !ArmSelector.SameValue(v, armValue)).ToList();
            if (againstValues.Count == 0) return Inconclusive(condition, metric, $"{armKey} has no value besides {armValue}");
        }
        else
        {
            var (againstValue, againstProblem) = new ArmSelector(armKey, condition.Against).Resolve(kept);
            if (againstValue is null) return Inconclusive(condition, metric, againstProblem!);
            againstValues = [againstValue];
        }

        // Compared runs agree on the named keys and on every axis the condition does not name, except an axis that only
        // renames the arm's key (a compound axis "strategy" that sets training.strategy): holding it equal would hold the arm.
        var named = new HashSet<string>(condition.Where.Select(w => w.Key).Append(armKey));
        var matchKeys = condition.MatchOn
            .Concat(kept.SelectMany(r => r.Axes.Keys).Distinct().Where(k => !named.Contains(k) && !BudgetAxes.Contains(k) && !Renames(kept, k, armKey)))
            .Distinct().Order(StringComparer.Ordinal).ToList();

        var comparisons = new List<ArmComparison>();
        // Groups in the order of their keys' values (numbers by value), so reports read from small to large budgets.
        var valueOrders = matchKeys.ToDictionary(k => k, k => ArmSelector.Order(kept, k));
        int Rank(StudyRunRecord r, string k) => ArmSelector.ValueOf(r, k) is { } v ? valueOrders[k].IndexOf(v) : -1;
        var ordered = kept.OrderBy(r => 0);
        foreach (var k in matchKeys) ordered = ordered.ThenBy(r => Rank(r, k));
        foreach (var group in ordered.GroupBy(r => GroupLabel(r, matchKeys)))
        {
            var armRuns = group.Where(r => ArmSelector.ValueOf(r, armKey) is { } v && ArmSelector.SameValue(v, armValue)).ToList();
            if (armRuns.Count == 0) continue;
            foreach (var againstValue in againstValues)
            {
                var againstRuns = group.Where(r => ArmSelector.ValueOf(r, armKey) is { } v && ArmSelector.SameValue(v, againstValue)).ToList();
                if (againstRuns.Count == 0) continue;
                comparisons.Add(Compare(condition.Expect, group.Key, armKey, armValue, againstValue,
                    SeedSpread.Of(armRuns.Select(r => r.Metrics[metric])), SeedSpread.Of(againstRuns.Select(r => r.Metrics[metric]))));
            }
        }
        if (comparisons.Count == 0)
            return Inconclusive(condition, metric, $"no matched runs of {armKey} = {armValue} and {armKey} = {string.Join("/", againstValues)}" +
                                                   (matchKeys.Count > 0 ? $" (matched on {string.Join(", ", matchKeys)})" : ""));
        var outcome = VerdictText.AllOf(comparisons.Select(c => c.Outcome).ToList());
        string reason = outcome switch
        {
            Verdict.Holds => comparisons.Count == 1 ? comparisons[0].Reason : $"all {comparisons.Count} comparisons hold",
            Verdict.DoesNotHold => comparisons.First(c => c.Outcome == Verdict.DoesNotHold).Reason,
            _ => comparisons.First(c => c.Outcome == Verdict.Inconclusive).Reason,
        };
        return new ConditionVerdict(condition, metric, outcome, reason, comparisons);
    }

    /// <summary>Whether <paramref name="axis"/> and <paramref name="key"/> determine each other in <paramref name="runs"/> (one is a renaming of the other).</summary>
    private static bool Renames(IReadOnlyList<StudyRunRecord> runs, string axis, string key)
    {
        static bool Determines(IReadOnlyList<StudyRunRecord> runs, string from, string to) =>
            runs.GroupBy(r => ArmSelector.ValueOf(r, from)).All(g => g.Select(r => ArmSelector.ValueOf(r, to)).Distinct().Count() == 1);
        return Determines(runs, axis, key) && Determines(runs, key, axis);
    }

    /// <summary>The first of <paramref name="candidates"/> some run has (<c>*</c> matching any text without a slash).</summary>
    public static string? ResolveMetric(IReadOnlyList<string> candidates, IReadOnlyList<StudyRunRecord> runs)
    {
        var names = runs.SelectMany(r => r.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var candidate in candidates)
        {
            var pattern = new Regex("^" + Regex.Escape(candidate).Replace("\\*", "[^/]*") + "$", RegexOptions.CultureInvariant);
            var match = names.FirstOrDefault(n => pattern.IsMatch(n));
            if (match is not null) return match;
        }
        return null;
    }

    private static ArmComparison Compare(ClaimExpectation expect, string group, string key, string armValue, string againstValue, SeedSpread arm, SeedSpread against)
    {
        string armName = $"{key} = {armValue}", againstName = $"{key} = {againstValue}";
        string numbers = $"{armName}: {Percent(arm)}; {againstName}: {Percent(against)}";
        if (arm.Seeds < MinSeeds || against.Seeds < MinSeeds)
            return new ArmComparison(group, armValue, againstValue, arm, against, null, Verdict.Inconclusive,
                $"too few seeds to separate from noise ({arm.Seeds} and {against.Seeds}; need ≥ {MinSeeds} per arm); {numbers}");
        var test = WelchComparison.Of(arm, against);
        string stats = $"effect {Signed(test.Effect * 100)} pp, |t| = {Fmt(Math.Abs(test.T))} vs {Fmt(test.Critical)} (df {Fmt(test.DegreesOfFreedom)}); {numbers}";
        bool up = test.Separable && test.Effect > 0, down = test.Separable && test.Effect < 0;
        int fewest = Math.Min(arm.Seeds, against.Seeds);
        var (outcome, why) = expect switch
        {
            ClaimExpectation.Higher => up ? (Verdict.Holds, "higher, separably") : down ? (Verdict.DoesNotHold, "lower, separably") : (Verdict.Inconclusive, "within seed noise"),
            ClaimExpectation.Lower => down ? (Verdict.Holds, "lower, separably") : up ? (Verdict.DoesNotHold, "higher, separably") : (Verdict.Inconclusive, "within seed noise"),
            ClaimExpectation.NotHigher => up ? (Verdict.DoesNotHold, "a separable gain")
                : fewest >= MinSeedsForNoEffect ? (Verdict.Holds, "no separable gain")
                : (Verdict.Inconclusive, $"no separable gain, but fewer than {MinSeedsForNoEffect} seeds per arm cannot show there is none"),
            _ => test.Separable ? (Verdict.DoesNotHold, "a separable difference")
                : fewest >= MinSeedsForNoEffect ? (Verdict.Holds, "no separable difference")
                : (Verdict.Inconclusive, $"no separable difference, but fewer than {MinSeedsForNoEffect} seeds per arm cannot show there is none"),
        };
        return new ArmComparison(group, armValue, againstValue, arm, against, test, outcome, $"{why}: {stats}");
    }

    private static string GroupLabel(StudyRunRecord run, IReadOnlyList<string> keys) =>
        string.Join(", ", keys.Select(k => $"{k}={ArmSelector.ValueOf(run, k) ?? "–"}"));

    private static ConditionVerdict Inconclusive(ClaimCondition condition, string? metric, string reason) =>
        new(condition, metric, Verdict.Inconclusive, reason, []);

    private static string Percent(SeedSpread s) =>
        $"{Fmt(s.Mean * 100)} ± {Fmt(s.StdDev * 100)} % (n = {s.Seeds}, {Fmt(s.Min * 100)}–{Fmt(s.Max * 100)})";

    private static string Signed(double v) => (v >= 0 ? "+" : "") + Fmt(v);

    /// <summary>A number with 2 decimals (invariant), or ∞.</summary>
    internal static string Fmt(double v) => double.IsInfinity(v) ? "∞" : v.ToString("0.00", CultureInfo.InvariantCulture);
}
