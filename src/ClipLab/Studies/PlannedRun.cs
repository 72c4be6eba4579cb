using ClipLab.Configuration;

namespace ClipLab.Studies;

/// <summary>One run of a study's grid: its folder name, its axis values, its seed and the config it trains with.</summary>
/// <param name="RunId">Folder name under <c>&lt;out&gt;/runs/</c>, built from the axis values and the seed (deterministic).</param>
/// <param name="Axes">The value of each axis, keyed by the axis's config key, in axis order.</param>
/// <param name="Seed">The training seed.</param>
/// <param name="Config">The run config (before the scorer step replaces a quality subset's data, see <see cref="KeepTop"/>).</param>
/// <param name="KeepTop">The top fraction of the scored pool this run trains on (<c>data.keepTop</c>), or null.</param>
public sealed record PlannedRun(string RunId, IReadOnlyDictionary<string, string> Axes, int Seed, RunConfig Config, double? KeepTop = null);
