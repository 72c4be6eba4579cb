namespace ClipLab.Imaging.Ops;

/// <summary>
/// <c>random_crop(S)</c>: an S × S crop at a uniformly random position (torchvision RandomCrop with
/// pad_if_needed: a smaller image is padded with black).
/// </summary>
public sealed class RandomCropOp(int size) : IImageOp
{
    /// <summary>Crop side.</summary>
    public int Size { get; } = size > 0 ? size : throw new ArgumentOutOfRangeException(nameof(size), "size must be positive");

    /// <inheritdoc />
    public RgbImage Apply(RgbImage image, Random rng)
    {
        int top = image.Height > Size ? rng.Next(image.Height - Size + 1) : (image.Height - Size) / 2;
        int left = image.Width > Size ? rng.Next(image.Width - Size + 1) : (image.Width - Size) / 2;
        return PaddedCrop.Copy(image, left, top, Size, Size);
    }

    /// <inheritdoc />
    public int? SquareSizeAfter(int? squareSizeBefore) => Size;
}
