namespace ClipLab.Training;

/// <summary>
/// Extra augmented views of every training image a strategy needs besides the image–text view (SLIP: two views
/// through the SimCLR augmentations).
/// </summary>
/// <param name="Augmentation">Image pipeline of each extra view: a preset name or a spec.</param>
/// <param name="Count">Views per image.</param>
/// <param name="ConfigKey">The config key that named <paramref name="Augmentation"/> (for error messages).</param>
public sealed record ImageViewRequest(string Augmentation, int Count, string ConfigKey);
