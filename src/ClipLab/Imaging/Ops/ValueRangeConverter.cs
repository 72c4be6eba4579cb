namespace ClipLab.Imaging.Ops;

/// <summary><c>value_range(lo, hi)</c>: maps 0 → lo and 255 → hi linearly (big_vision's value_range).</summary>
public sealed class ValueRangeConverter : IPixelConverter
{
    private readonly float[] _lut = new float[256];

    /// <summary>Creates the converter; <paramref name="low"/> must be below <paramref name="high"/>.</summary>
    public ValueRangeConverter(double low, double high)
    {
        if (!(low < high)) throw new ArgumentException($"value_range needs lo < hi, got ({low}, {high})");
        Low = low;
        High = high;
        for (int i = 0; i < 256; i++) _lut[i] = (float)(low + i / 255.0 * (high - low));
    }

    /// <summary>Value of pixel 0.</summary>
    public double Low { get; }

    /// <summary>Value of pixel 255.</summary>
    public double High { get; }

    /// <inheritdoc />
    public void Convert(RgbImage image, Span<float> chw) => ChannelFirst.Write(image, chw, _lut, _lut, _lut);
}
