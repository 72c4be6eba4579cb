
namespace ClipLab.Imaging;

/// <summary>An image could not be decoded; <see cref="Reason"/> says how to count the skipped sample.</summary>
public sealed class ImageDecodeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ImageDecodeException(SkipReason reason, string message) : base(message) => Reason = reason;

    /// <summary>
    /// <see cref="SkipReason.CorruptImage"/>, <see cref="SkipReason.NotAnImage"/> or <see cref="SkipReason.ImageTooLarge"/>.
    /// </summary>
    public SkipReason Reason { get; }
}
