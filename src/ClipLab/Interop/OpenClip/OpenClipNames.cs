using ClipLab.Interop.StateDictNames;
using ClipLab.Models;

namespace ClipLab.Interop.OpenClip;

/// <summary>The open_clip name maps: the shared CLIP/text map plus one per image-tower family ClipLab can express.</summary>
public static class OpenClipNames
{
    /// <summary>The map of the parts every CLIP model has (text tower, temperature).</summary>
    public const string SharedMap = "clip";

    /// <summary>The image-tower families with an open_clip name map (each is an embedded map of that name).</summary>
    public static IReadOnlyList<string> Families { get; } = ["vit", "modified-resnet", "convnext"];

    /// <summary>Families whose plain timm checkpoints (the trunk without open_clip's <c>visual.trunk.</c> prefix) can be read.</summary>
    public static IReadOnlyList<string> TimmFamilies { get; } = ["convnext"];

    /// <summary>Prefix open_clip's TimmModel puts before a timm trunk's own names.</summary>
    public const string TimmTrunkPrefix = "visual.trunk.";

    /// <summary>The name map for a model with this image tower.</summary>
    /// <exception cref="InvalidOperationException">The family has no open_clip names; the message says why.</exception>
    public static StateDictNameMap For(VisionTowerConfig vision)
    {
        ArgumentNullException.ThrowIfNull(vision);
        if (!Families.Contains(vision.Family))
        {
            throw new InvalidOperationException(OpenClipModelConfig.UnsupportedReason(vision));
        }

        return StateDictNameMap.Load(SharedMap, vision.Family);
    }

    /// <summary>The image-tower families whose signature tensors occur among <paramref name="names"/>, with the tensor that shows it.</summary>
    public static IReadOnlyList<(string Family, string Evidence)> Recognise(IEnumerable<string> names)
        => StateDictNameMap.Recognise(names, [.. Families]);
}
