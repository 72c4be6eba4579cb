using System.Text.Json.Serialization;
using ClipLab.Models.Compute;

namespace ClipLab.Models;

/// <summary>
/// Configuration of a Swin Transformer image tower (Liu et al. 2021): a 4-stage hierarchy of windowed-attention blocks
/// whose width doubles and resolution halves between stages (patch merging). Defaults are Swin-T at 224 px.
/// </summary>
/// <remarks>
/// <para>Window rule (as the original code): a stage whose token grid is no larger than <see cref="WindowSize"/> attends over
/// the whole grid (window = grid side) and never shifts; every other stage must tile its grid exactly with
/// <see cref="WindowSize"/> windows (no padding), and its odd blocks shift the windows by half a window.</para>
/// <para>The stage lists are <see cref="ValueList{T}"/>s, so equality compares them element-wise and a config survives a JSON round trip equal.</para>
/// </remarks>
public sealed record SwinTransformerConfig : VisionTowerConfig
{
    /// <inheritdoc/>
    public override int ImageSize { get; init; } = 224;

    /// <inheritdoc/>
    public override int Channels { get; init; } = 3;

    /// <summary>Side length in pixels of the square patches (patch-embedding kernel and stride).</summary>
    public int PatchSize { get; init; } = 4;

    /// <summary>
    /// Channel width of the first stage (timm's <c>embed_dim</c>); stage <c>i</c> has width EmbedDim·2^i. Not the joint
    /// image-text embedding, which <see cref="Build"/> receives.
    /// </summary>
    public int EmbedDim { get; init; } = 96;

    /// <summary>Number of blocks per stage; blocks alternate regular and shifted windows, starting with regular.</summary>
    public ValueList<int> Depths { get; init; } = [2, 2, 6, 2];

    /// <summary>Attention heads per stage (one entry per stage); each must divide its stage's width.</summary>
    public ValueList<int> Heads { get; init; } = [3, 6, 12, 24];

    /// <summary>Side length in tokens of the square attention windows (see the window rule in the remarks).</summary>
    public int WindowSize { get; init; } = 7;

    /// <summary>MLP hidden width as a multiple of the block width.</summary>
    public double MlpRatio { get; init; } = 4.0;

    /// <summary>
    /// Stochastic-depth rate of the last block; rates grow linearly from 0 at the first block (as the paper, which used 0.2
    /// for Swin-T on ImageNet-1k). 0 disables drop path.
    /// </summary>
    public double DropPathRate { get; init; }

    /// <summary>Number of stages (derived, so not serialised).</summary>
    [JsonIgnore]
    public int NumStages => Depths.Count;

    /// <summary>Channel width of the last stage, i.e. of the pooled features before the projection (derived).</summary>
    [JsonIgnore]
    public int NumFeatures => StageDim(NumStages - 1);

    /// <summary>Channel width of stage <paramref name="stage"/> (EmbedDim·2^stage).</summary>
    public int StageDim(int stage) => EmbedDim << stage;

    /// <summary>Side length in tokens of stage <paramref name="stage"/>'s grid (patch grid halved once per earlier stage).</summary>
    public int StageResolution(int stage) => ImageSize / PatchSize >> stage;

    /// <summary>Window side used in stage <paramref name="stage"/>: <see cref="WindowSize"/>, or the whole grid if that is smaller.</summary>
    public int StageWindow(int stage) => Math.Min(WindowSize, StageResolution(stage));

    /// <summary>Shift of the odd blocks of stage <paramref name="stage"/>: half a window, or 0 when one window covers the grid.</summary>
    public int StageShift(int stage) => StageResolution(stage) <= WindowSize ? 0 : WindowSize / 2;

    /// <summary>
    /// Stochastic-depth rate of each block in network order: linear from 0 to <see cref="DropPathRate"/>
    /// (torch.linspace(0, rate, blocks), as the original code).
    /// </summary>
    public IReadOnlyList<double> BlockDropPathRates()
        => DropPath.LinearRates(Depths.Sum(), DropPathRate);

    /// <summary>Pooled trunk features before the projection: the normalised, averaged last stage: <see cref="NumFeatures"/>.</summary>
    [JsonIgnore]
    public override int TrunkWidth => NumFeatures;

    /// <inheritdoc/>
    public override VisionTower Build(int embedDim) => new SwinTransformer(this, embedDim);

    /// <inheritdoc/>
    public override TowerCost Cost(int embedDim)
    {
        long c0 = EmbedDim;
        long grid = StageResolution(0);
        long patchEmbed = (long)Channels * PatchSize * PatchSize * c0;
        long parameters = patchEmbed + c0 + 2 * c0; // convolution with bias, then LayerNorm
        double macs = (double)grid * grid * patchEmbed;
        for (var stage = 0; stage < NumStages; stage++)
        {
            long c = StageDim(stage);
            long tokens = (long)StageResolution(stage) * StageResolution(stage);
            if (stage > 0)
            {
                // Patch merging: LayerNorm over the 4 concatenated neighbours, bias-free Linear 4C' -> C (C' = C/2).
                parameters += 2 * (2 * c) + 2 * c * c;
                macs += (double)tokens * 2 * c * c;
            }

            long window = StageWindow(stage);
            long windowTokens = window * window;
            long hidden = TransformerCost.MlpHidden((int)c, MlpRatio);
            // A Swin block is the pre-norm transformer block plus a relative position bias table per head.
            long blockParameters = TransformerCost.BlockParameters((int)c, MlpRatio) + (2 * window - 1) * (2 * window - 1) * Heads[stage];
            // QKV, output projection and MLP per token; q·kᵀ and attention·v only within each token's window.
            double blockMacs = (double)tokens * (4 * c * c + 2 * c * hidden) + 2.0 * tokens * windowTokens * c;
            parameters += Depths[stage] * blockParameters;
            macs += Depths[stage] * blockMacs;
        }

        long features = NumFeatures;
        parameters += 2 * features; // final LayerNorm
        return new TowerCost(parameters, features * embedDim, macs, (double)features * embedDim);
    }

    /// <inheritdoc/>
    public override void Validate()
    {
        const string owner = nameof(SwinTransformerConfig);
        ConfigGuard.InRange(owner, nameof(ImageSize), ImageSize, 1);
        ConfigGuard.InRange(owner, nameof(Channels), Channels, 1);
        ConfigGuard.InRange(owner, nameof(PatchSize), PatchSize, 1, ImageSize);
        ConfigGuard.InRange(owner, nameof(EmbedDim), EmbedDim, 1);
        if (Depths is null || Depths.Count == 0)
        {
            throw new ArgumentException($"{owner}.{nameof(Depths)} is empty; give one block count per stage, e.g. [2, 2, 6, 2].", nameof(Depths));
        }

        // Widths double per stage; beyond 2^20 they overflow int long before any machine could build them.
        ConfigGuard.InRange(owner, $"{nameof(Depths)}.Count", Depths.Count, 1, 20);
        for (var i = 0; i < Depths.Count; i++)
        {
            ConfigGuard.InRange(owner, $"{nameof(Depths)}[{i}]", Depths[i], 1);
        }

        if (Heads is null || Heads.Count != Depths.Count)
        {
            throw new ArgumentException(
                $"{owner}.{nameof(Heads)} has {Heads?.Count ?? 0} entries but {nameof(Depths)} has {Depths.Count}; give one head count per stage.",
                nameof(Heads));
        }

        for (var i = 0; i < Heads.Count; i++)
        {
            var dim = StageDim(i);
            if (Heads[i] < 1 || dim % Heads[i] != 0)
            {
                var divisors = Enumerable.Range(1, dim).Where(d => dim % d == 0);
                throw new ArgumentException(
                    $"{owner}.{nameof(Heads)}[{i}] = {Heads[i]} does not divide the stage-{i} width {dim} ({nameof(EmbedDim)} × 2^{i}); " +
                    $"valid values are {string.Join(", ", divisors)}.",
                    nameof(Heads));
            }
        }

        // Every patch merging halves the grid, so the patch grid must halve exactly (NumStages − 1) times.
        ConfigGuard.DivisibleBy(owner, nameof(ImageSize), ImageSize, $"{nameof(PatchSize)} × 2^{NumStages - 1}", (long)PatchSize << (NumStages - 1));
        ConfigGuard.InRange(owner, nameof(WindowSize), WindowSize, 1);
        if (!WindowFits(WindowSize))
        {
            var grid = StageResolution(0);
            var valid = Enumerable.Range(1, grid - 1).Where(WindowFits);
            var stage = Enumerable.Range(0, NumStages).First(s => StageResolution(s) > WindowSize && StageResolution(s) % WindowSize != 0);
            throw new ArgumentException(
                $"{owner}.{nameof(WindowSize)} = {WindowSize} does not tile the {StageResolution(stage)}×{StageResolution(stage)} token grid of stage {stage} " +
                $"(a stage larger than the window must be a whole number of windows across); valid values are {string.Join(", ", valid)}, " +
                $"or any value ≥ {grid} (one window per stage).",
                nameof(WindowSize));
        }

        ConfigGuard.InRange(owner, nameof(MlpRatio), MlpRatio, 1.0 / EmbedDim);
        if (!double.IsFinite(DropPathRate) || DropPathRate < 0 || DropPathRate >= 1)
        {
            throw new ArgumentException($"{owner}.{nameof(DropPathRate)} = {DropPathRate} is out of range; valid range is [0, 1).", nameof(DropPathRate));
        }
    }

    private bool WindowFits(int window)
        => Enumerable.Range(0, NumStages).All(s => StageResolution(s) <= window || StageResolution(s) % window == 0);
}
