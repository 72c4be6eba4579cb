namespace ClipLab.Imaging.Ops;

/// <summary>The 14 transforms RandAugment draws from (torchvision's RandAugment op set).</summary>
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
    /// <summary>Invert values above a threshold going from 256 (M = 0) to 0 (M = 30).</summary>
    Solarize,
    /// <summary>Saturation factor 1 ± 0.9·M/30.</summary>
    Color,
    /// <summary>Bits kept going from 8 (M = 0) to 4 (M = 30).</summary>
    Posterize,
    /// <summary>Contrast factor 1 ± 0.9·M/30.</summary>
    Contrast,
    /// <summary>Brightness factor 1 ± 0.9·M/30.</summary>
    Brightness,
    /// <summary>Sharpness factor 1 ± 0.9·M/30.</summary>
    Sharpness,
    /// <summary>Horizontal shear up to ±0.3.</summary>
    ShearX,
    /// <summary>Vertical shear up to ±0.3.</summary>
    ShearY,
    /// <summary>Horizontal shift up to ±45% of the width.</summary>
    TranslateX,
    /// <summary>Vertical shift up to ±45% of the height.</summary>
    TranslateY,
}
