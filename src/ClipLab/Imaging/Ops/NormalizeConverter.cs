namespace ClipLab.Imaging.Ops;

/// <summary>
/// <c>normalize(mean_r, mean_g, mean_b, std_r, std_g, std_b)</c>: (pixel/255 − mean) / std per channel, as
/// torchvision's ToTensor + Normalize.
/// </summary>
public sealed class NormalizeConverter : IPixelConverter
{
    private readonly float[][] _luts = new float[3][];

    /// <summary>Creates the converter from three means and three positive standard deviations (in [0, 1] pixel units).</summary>
    public NormalizeConverter(IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        if (mean.Count != 3 || std.Count != 3) throw new ArgumentException("normalize needs 3 means and 3 standard deviations");
        for (int c = 0; c < 3; c++)
        {
            if (!(std[c] > 0)) throw new ArgumentException($"normalize: std must be positive, got {std[c]}");
            var lut = new float[256];
            for (int i = 0; i < 256; i++) lut[i] = (float)((i / 255.0 - mean[c]) / std[c]);
            _luts[c] = lut;
        }
        Mean = mean.ToArray();
        Std = std.ToArray();
    }

    /// <summary>Per-channel means.</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>Per-channel standard deviations.</summary>
    public IReadOnlyList<double> Std { get; }

    /// <inheritdoc />
    public void Convert(RgbImage image, Span<float> chw) => ChannelFirst.Write(image, chw, _luts[0], _luts[1], _luts[2]);
}
