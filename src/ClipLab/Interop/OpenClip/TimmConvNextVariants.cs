namespace ClipLab.Interop.OpenClip;

/// <summary>
/// timm's named ConvNeXt models whose blocks use Linear MLPs (the layout ClipLab's ConvNext has): name → depths and
/// widths. The smaller atto-to-nano variants use 1×1 convolutions instead and are not listed.
/// </summary>
public static class TimmConvNextVariants
{
    /// <summary>The name ClipLab writes, with overrides, for shapes no named variant has.</summary>
    public const string BaseName = "convnext_tiny";

    /// <summary>timm's default stem patch size, kernel size and layer-scale init for these models.</summary>
    public const int DefaultPatchSize = 4;

    /// <summary>timm's default depthwise kernel size.</summary>
    public const int DefaultKernelSize = 7;

    /// <summary>timm's default layer-scale initial value.</summary>
    public const double DefaultLayerScaleInit = 1e-6;

    /// <summary>The variants, by timm name.</summary>
    public static IReadOnlyDictionary<string, (int[] Depths, int[] Dims)> All { get; } = new Dictionary<string, (int[], int[])>(StringComparer.Ordinal)
    {
        ["convnext_tiny"] = ([3, 3, 9, 3], [96, 192, 384, 768]),
        ["convnext_small"] = ([3, 3, 27, 3], [96, 192, 384, 768]),
        ["convnext_base"] = ([3, 3, 27, 3], [128, 256, 512, 1024]),
        ["convnext_large"] = ([3, 3, 27, 3], [192, 384, 768, 1536]),
        ["convnext_xlarge"] = ([3, 3, 27, 3], [256, 512, 1024, 2048]),
    };
}
