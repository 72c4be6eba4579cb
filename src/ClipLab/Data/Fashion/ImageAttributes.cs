namespace ClipLab.Data.Fashion;

/// <summary>Overall brightness of a garment: mean intensity of its foreground pixels.</summary>
public enum ImageTone
{
    /// <summary>Mean foreground intensity below 0.52 (of 1.0).</summary>
    Dark,
    /// <summary>Mean foreground intensity in [0.52, 0.66).</summary>
    MidGrey,
    /// <summary>Mean foreground intensity in [0.66, 0.76).</summary>
    Light,
    /// <summary>Mean foreground intensity of 0.76 or more.</summary>
    Bright,
}

/// <summary>Silhouette of a garment: width / height of its foreground bounding box.</summary>
public enum ImageShape
{
    /// <summary>Aspect ratio below 0.6 (tall and narrow, e.g. most trousers).</summary>
    Slim,
    /// <summary>Aspect ratio in [0.6, 1.3].</summary>
    Regular,
    /// <summary>Aspect ratio above 1.3 (low and wide, e.g. most shoes).</summary>
    Wide,
}

/// <summary>Surface of a garment, from intensity changes inside its silhouette (edges excluded).</summary>
public enum ImageTexture
{
    /// <summary>Little variation inside the silhouette.</summary>
    Plain,
    /// <summary>Marked variation with no dominant direction.</summary>
    Patterned,
    /// <summary>Marked variation mostly along one axis (bands or lines).</summary>
    Striped,
}

/// <summary>
/// Attributes computed from a 28×28 grey image so that captions describe the particular image, not only its class.
/// </summary>
/// <param name="Tone">Brightness class, from <paramref name="MeanIntensity"/>.</param>
/// <param name="Shape">Silhouette class, from <paramref name="AspectRatio"/>.</param>
/// <param name="Texture">Surface class, from <paramref name="TextureScore"/> and the direction of the variation.</param>
/// <param name="MeanIntensity">Mean foreground intensity in [0, 1] (0 when there is no foreground).</param>
/// <param name="Coverage">Fraction of the image that is foreground, in [0, 1].</param>
/// <param name="AspectRatio">Width / height of the foreground bounding box (1 when there is no foreground).</param>
/// <param name="TextureScore">Mean absolute difference between neighbouring pixels inside the silhouette, in [0, 1].</param>
public sealed record ImageAttributes(
    ImageTone Tone,
    ImageShape Shape,
    ImageTexture Texture,
    double MeanIntensity,
    double Coverage,
    double AspectRatio,
    double TextureScore);
