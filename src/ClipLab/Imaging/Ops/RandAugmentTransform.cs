namespace ClipLab.Imaging.Ops;

/// <summary>
/// The transforms RandAugment draws from. The first 14 are Cubuk et al.'s set (the paper's Fig. 1 list); InfoMin's
/// set (PyContrast's copy of timm's <c>_RAND_TRANSFORMS</c>) drops Identity and adds Invert and SolarizeAdd.
/// Strengths are given per <see cref="RandAugmentRecipe"/> in <see cref="RandAugmentOp.ApplyTransform"/>.
/// </summary>
public enum RandAugmentTransform
{
    /// <summary>No change.</summary>
    Identity,
    /// <summary>Per-channel stretch to the full range (no magnitude).</summary>
    AutoContrast,
    /// <summary>Per-channel histogram equalization (no magnitude).</summary>
    Equalize,
    /// <summary>Rotation by up to ±30°.</summary>
    Rotate,
    /// <summary>Invert values at or above a threshold.</summary>
    Solarize,
    /// <summary>Saturation enhance factor (PIL ImageEnhance.Color).</summary>
    Color,
    /// <summary>Keep only the most significant bits.</summary>
    Posterize,
    /// <summary>Contrast enhance factor.</summary>
    Contrast,
    /// <summary>Brightness enhance factor.</summary>
    Brightness,
    /// <summary>Sharpness enhance factor.</summary>
    Sharpness,
    /// <summary>Horizontal shear up to ±0.3.</summary>
    ShearX,
    /// <summary>Vertical shear up to ±0.3.</summary>
    ShearY,
    /// <summary>Horizontal shift up to ±45% of the width.</summary>
    TranslateX,
    /// <summary>Vertical shift up to ±45% of the height.</summary>
    TranslateY,
    /// <summary>255 − v (no magnitude; InfoMin set only).</summary>
    Invert,
    /// <summary>Adds up to 110 to values below 128 (InfoMin set only).</summary>
    SolarizeAdd,
}
