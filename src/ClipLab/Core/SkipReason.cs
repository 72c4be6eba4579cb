namespace ClipLab.Core;

/// <summary>Why a sample was skipped instead of trained on.</summary>
public enum SkipReason
{
    /// <summary>The image bytes could not be decoded (corrupt or truncated file).</summary>
    CorruptImage,
    /// <summary>The member that should be the image is not an image format we decode.</summary>
    NotAnImage,
    /// <summary>The image is larger than can be decoded safely.</summary>
    ImageTooLarge,
    /// <summary>The caption is empty or whitespace.</summary>
    EmptyCaption,
    /// <summary>An image without a caption (half pair).</summary>
    MissingCaption,
    /// <summary>A caption without an image (half pair).</summary>
    MissingImage,
    /// <summary>A tar shard ended in the middle of an entry; the rest of the shard was lost.</summary>
    TruncatedArchive,
    /// <summary>A file listed by the source could not be read.</summary>
    UnreadableFile,
}
