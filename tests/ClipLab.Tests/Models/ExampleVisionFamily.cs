using System.Runtime.CompilerServices;
using ClipLab.Models;
using ClipLab.Models.Compute;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Tests.Models;

// The example of docs/models.md, "Adding a vision family": a family defined outside the library in its own files
// (config, tower, sizes) and joined to the registry by one line.

/// <summary>Config of a tiny convolutional tower: one strided convolution, global average pooling, the linear head.</summary>
public sealed record TinyConvConfig : VisionTowerConfig
{
    public override int ImageSize { get; init; } = 16;
    public override int Channels { get; init; } = 3;
    public int Width { get; init; } = 8;
    public override string Family => "tinyconv";
    public override int TrunkWidth => Width;

    public override VisionTower Build(int embedDim) => new TinyConv(this, embedDim);

    public override TowerCost Cost(int embedDim)
    {
        long side = ImageSize / 2, kernel = 9L * Channels * Width;
        return new TowerCost(kernel + Width, (long)Width * embedDim, (double)side * side * kernel, (double)Width * embedDim);
    }

    public override void Validate()
    {
        if (ImageSize < 2 || Channels < 1 || Width < 1)
            throw new ArgumentException($"TinyConvConfig: ImageSize {ImageSize} (≥ 2), Channels {Channels} (≥ 1) and Width {Width} (≥ 1) are out of range.");
    }
}

/// <summary>The tower: the base validates the config and owns the head; the family writes only its trunk.</summary>
public sealed class TinyConv : VisionTower<TinyConvConfig>
{
#pragma warning disable IDE1006 // field names are state-dict keys
    private readonly Conv2d conv;
#pragma warning restore IDE1006

    public TinyConv(TinyConvConfig config, int embedDim) : base(nameof(TinyConv), config, embedDim)
    {
        conv = nn.Conv2d(config.Channels, config.Width, 3, stride: 2, padding: 1);
        CreateProjection(config.Width);
        RegisterComponents();
        InitializeProjection();
    }

    public override Tensor EncodeTrunk(Tensor images)
    {
        CheckImages(images);
        using var features = conv.call(images).relu_();
        return features.mean([2, 3]);
    }
}

/// <summary>The family's named sizes, kept next to its code as the library's families keep theirs.</summary>
public static class TinyConvSizes
{
    public static IReadOnlyList<VisionSize> All { get; } =
    [
        new("tinyconv-8-16", "Test-only tiny conv tower, 16 px, width 8", ModelScale.Cpu, new TinyConvConfig(), "text-nano", 32),
    ];

    /// <summary>Registers the family when the test assembly loads, before any test reads the registry.</summary>
#pragma warning disable CA2255 // registering at load is the point: a program registers its families at start-up
    [ModuleInitializer]
#pragma warning restore CA2255
    public static void Register() => ModelRegistry.RegisterFamily(All); // the one registration line
}
