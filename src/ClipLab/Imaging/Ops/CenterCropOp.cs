namespace ClipLab.Imaging.Ops;

/// <summary>
/// <c>center_crop(S)</c>: the central S × S pixels (offsets rounded as torchvision); an image smaller than S
/// is padded with black first, as torchvision does.
/// </summary>
public sealed class CenterCropOp(int size) : IImageOp
{
    /// <summary>Crop side.</summary>
    public int Size { get; } = size > 0 ? size : throw new ArgumentOutOfRangeException(nameof(size), "size must be positive");

    /// <inheritdoc />
    public RgbImage Apply(RgbImage image, Random rng) => Crop(image, Size);

    internal static RgbImage Crop(RgbImage image, int size)
    {
        if (image.Width == size && image.Height == size) return image;
        int left = (int)Math.Round((image.Width - size) / 2.0, MidpointRounding.ToEven);
        int top = (int)Math.Round((image.Height - size) / 2.0, MidpointRounding.ToEven);
        return PaddedCrop.Copy(image, left, top, size, size);
    }

    /// <inheritdoc />
    public int? SquareSizeAfter(int? squareSizeBefore) => Size;
}
