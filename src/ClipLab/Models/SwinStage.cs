using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>
/// One Swin stage on a channels-last grid: an optional <see cref="PatchMerging"/> (every stage but the first halves the
/// grid and doubles the width on entry, as in timm's current layout) followed by blocks alternating regular and shifted
/// windows.
/// </summary>
public sealed class SwinStage : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are state-dict keys (timm naming)
    private readonly PatchMerging? downsample;
    private readonly ModuleList<SwinTransformerBlock> blocks;
#pragma warning restore IDE1006

    /// <summary>Creates stage <paramref name="stage"/> of <paramref name="config"/>.</summary>
    /// <param name="config">Validated tower configuration.</param>
    /// <param name="stage">Stage index in [0, NumStages).</param>
    /// <param name="dropPathRates">Stochastic-depth rate of each of this stage's blocks.</param>
    public SwinStage(SwinTransformerConfig config, int stage, IReadOnlyList<double> dropPathRates) : base(nameof(SwinStage))
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(dropPathRates);
        if (dropPathRates.Count != config.Depths[stage])
        {
            throw new ArgumentException($"Expected {config.Depths[stage]} drop-path rates; got {dropPathRates.Count}.", nameof(dropPathRates));
        }

        downsample = stage > 0 ? new PatchMerging(config.StageDim(stage - 1)) : null;
        blocks = new ModuleList<SwinTransformerBlock>();
        var shift = config.StageShift(stage);
        for (var i = 0; i < config.Depths[stage]; i++)
        {
            blocks.Add(new SwinTransformerBlock(
                config.StageDim(stage), config.Heads[stage], config.StageResolution(stage), config.StageWindow(stage),
                i % 2 == 1 ? shift : 0, config.MlpRatio, dropPathRates[i]));
        }

        RegisterComponents();
    }

    /// <summary>The stage's blocks in order.</summary>
    public IReadOnlyList<SwinTransformerBlock> Blocks => [.. blocks];

    /// <summary>Initialises the merging layer and every block.</summary>
    public void InitializeParameters()
    {
        downsample?.InitializeParameters();
        foreach (var block in blocks)
        {
            block.InitializeParameters();
        }
    }

    /// <summary>Runs the stage on <paramref name="x"/> [B, H, W, C].</summary>
    public override Tensor forward(Tensor x)
    {
        var current = downsample is null ? x.alias() : downsample.call(x);
        foreach (var block in blocks)
        {
            var next = block.call(current);
            current.Dispose();
            current = next;
        }

        return current;
    }
}
