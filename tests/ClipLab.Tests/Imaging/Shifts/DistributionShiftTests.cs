using ClipLab.Data;
using ClipLab.Data.Fashion;
using ClipLab.Imaging;
using ClipLab.Imaging.Shifts;
using Xunit;

namespace ClipLab.Tests.Imaging.Shifts;

public class DistributionShiftTests
{
    private static RgbImage Gray(int side, Func<int, int, byte> value)
    {
        var image = new RgbImage(side, side);
        for (int y = 0; y < side; y++)
        for (int x = 0; x < side; x++)
        {
            byte v = value(x, y);
            image.SetPixel(x, y, new RgbColor(v, v, v));
        }
        return image;
    }

    /// <summary>A garment-like test image: a bright, textured blob on black, as Fashion-MNIST.</summary>
    private static RgbImage Garment(int side = 28) =>
        Gray(side, (x, y) => Math.Abs(x - side / 2) < side / 4 && Math.Abs(y - side / 2) < side / 3 ? (byte)(150 + (x * 7 + y * 13) % 100) : (byte)0);

    private static byte[] Channel(RgbImage image) => Enumerable.Range(0, image.Width * image.Height).Select(i => image.Pixels[3 * i]).ToArray();

    private static bool IsGray(RgbImage image) =>
        Enumerable.Range(0, image.Width * image.Height).All(i => image.Pixels[3 * i] == image.Pixels[3 * i + 1] && image.Pixels[3 * i] == image.Pixels[3 * i + 2]);

    [Fact]
    public void RegistryNamesTheRequiredShiftsAndRejectsUnknownOnes()
    {
        Assert.Equal(new[] { "sketch", "contrast", "invert", "noise", "blur", "lowres", "rotate" }, DistributionShiftRegistry.Names);
        var error = Assert.Throws<ArgumentException>(() => DistributionShiftRegistry.Get("fog"));
        Assert.Contains("Valid shifts: sketch, contrast, invert, noise, blur, lowres, rotate", error.Message);
    }

    [Fact]
    public void EveryShiftIsDeterministicPerImageIndexChangesTheImageAndKeepsItGrayAndSized()
    {
        var image = Garment();
        foreach (var shift in DistributionShiftRegistry.Shifts)
        {
            var first = shift.Apply(image, imageIndex: 17);
            var again = shift.Apply(image.Clone(), imageIndex: 17);
            Assert.Equal(first.Pixels, again.Pixels);
            Assert.NotEqual(image.Pixels, first.Pixels);
            Assert.Equal((28, 28), (first.Width, first.Height));
            Assert.True(IsGray(first), shift.Name);
        }
    }

    [Fact]
    public void RandomShiftsDrawPerImageIndex()
    {
        var flat = Gray(28, (_, _) => 128);
        var noise = DistributionShiftRegistry.Get("noise");
        Assert.NotEqual(noise.Apply(flat, 1).Pixels, noise.Apply(flat, 2).Pixels);
        Assert.NotEqual(noise.Apply(flat, 1, seed: 1).Pixels, noise.Apply(flat, 1, seed: 2).Pixels);

        // Both rotation directions occur, each index always the same one.
        var rotate = DistributionShiftRegistry.Get("rotate");
        var bar = Gray(28, (x, y) => Math.Abs(y - 14) < 2 && x > 3 && x < 24 ? (byte)255 : (byte)0);
        var angles = Enumerable.Range(0, 20).Select(i => Math.Round(Orientation(rotate.Apply(bar, i)))).ToArray();
        Assert.Contains(30.0, angles.Select(Math.Abs));
        Assert.True(angles.Distinct().Count() == 2, string.Join(", ", angles));
        Assert.Equal(angles, Enumerable.Range(0, 20).Select(i => Math.Round(Orientation(rotate.Apply(bar, i)))).ToArray());
    }

    [Fact]
    public void ShiftedFashionMnistIsDeterministicAndShiftsEveryImage()
    {
        var rng = new Random(5);
        var pixels = new byte[40 * 28 * 28];
        rng.NextBytes(pixels);
        var source = new FashionMnist(pixels, Enumerable.Range(0, 40).Select(i => i % 10).ToArray());
        foreach (var shift in DistributionShiftRegistry.Shifts)
        {
            var a = ShiftedFashionMnist.Build(source, shift);
            var b = ShiftedFashionMnist.Build(source, shift);
            Assert.Equal(a.Pixels, b.Pixels);
            Assert.Equal(source.Labels, a.Labels);
            for (int i = 0; i < source.Count; i++) Assert.False(a.Image(i).SequenceEqual(source.Image(i)), $"{shift.Name} left image {i} unchanged");
            // Image i depends on its index only, not on the other images of the set.
            var single = new FashionMnist(source.Image(7).ToArray(), [source.Labels[7]]);
            var alone = DistributionShiftRegistry.Get(shift.Name).Apply(ToRgb(single.Image(0)), 7);
            Assert.Equal(Channel(alone), a.Image(7).ToArray());
        }
    }

    [Fact]
    public void InversionIsTheNegative()
    {
        var image = Garment();
        var inverted = new InversionShift().Apply(image, new Random(0));
        Assert.All(Enumerable.Range(0, image.Pixels.Length), i => Assert.Equal(255, image.Pixels[i] + inverted.Pixels[i]));
    }

    [Fact]
    public void ContrastReductionScalesDeviationsFromTheMean()
    {
        var image = Garment();
        double mean = Channel(image).Average(v => (double)v);
        var reduced = new ContrastReductionShift(0.3).Apply(image, new Random(0));
        for (int i = 0; i < 28 * 28; i++)
            Assert.InRange(reduced.Pixels[3 * i], mean + 0.3 * (image.Pixels[3 * i] - mean) - 1, mean + 0.3 * (image.Pixels[3 * i] - mean) + 1);
    }

    [Fact]
    public void NoiseHasTheSeverityStandardDeviationAndZeroMean()
    {
        var flat = Gray(96, (_, _) => 128);
        var noisy = Channel(new GaussianNoiseShift(0.18).Apply(flat, new Random(1)));
        double mean = noisy.Average(v => (double)v);
        double std = Math.Sqrt(noisy.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, 126, 130);
        Assert.InRange(std, 0.18 * 255 - 2.5, 0.18 * 255 + 1.5); // slightly below σ: clamping at 0 and 255 trims the tails
    }

    [Fact]
    public void BlurSpreadsAnImpulseWithTheRequestedSigma()
    {
        var impulse = Gray(31, (x, y) => x == 15 && y == 15 ? (byte)255 : (byte)0);
        var shift = new GaussianBlurShift(1.0);
        Assert.Equal(7, shift.KernelSize);
        var blurred = Channel(shift.Apply(impulse, new Random(0)));
        double total = blurred.Sum(v => (double)v);
        double varianceX = Enumerable.Range(0, blurred.Length).Sum(i => blurred[i] * Math.Pow(i % 31 - 15, 2)) / total;
        Assert.InRange(total, 240, 270); // the mass is kept, up to rounding of the tails
        Assert.InRange(varianceX, 0.85, 1.15);
        var flat = Gray(28, (_, _) => 90);
        Assert.All(Channel(shift.Apply(flat, new Random(0))), v => Assert.Equal(90, v));
    }

    [Fact]
    public void LowResolutionRemovesDetailFinerThanTheFactorButKeepsSmoothContent()
    {
        var shift = new LowResolutionShift(4);
        var checkerboard = Channel(shift.Apply(Gray(28, (x, y) => (x + y) % 2 == 0 ? (byte)255 : (byte)0), new Random(0)));
        Assert.All(checkerboard, v => Assert.InRange(v, 100, 155));
        var ramp = Gray(28, (x, _) => (byte)(x * 9));
        var smooth = Channel(shift.Apply(ramp, new Random(0)));
        for (int y = 0; y < 28; y++)
        for (int x = 4; x < 24; x++) // away from the borders, where the filter's support is cut
            Assert.InRange(smooth[y * 28 + x] - x * 9, -6, 6);
    }

    [Fact]
    public void RotationTurnsABarByTheFixedAngle()
    {
        var bar = Gray(28, (x, y) => Math.Abs(y - 14) < 2 && x > 3 && x < 24 ? (byte)255 : (byte)0);
        Assert.InRange(Math.Abs(Orientation(bar)), 0, 0.5);
        double angle = Orientation(new RotationShift(30).Apply(bar, new Random(0)));
        Assert.InRange(Math.Abs(angle), 28.5, 31.5);
    }

    [Fact]
    public void SketchDrawsDarkEdgesOnWhitePaper()
    {
        var square = Gray(28, (x, y) => x >= 8 && x < 20 && y >= 8 && y < 20 ? (byte)200 : (byte)0);
        var sketch = Channel(new SketchShift().Apply(square, new Random(0)));
        Assert.Equal(255, sketch[2 * 28 + 2]);     // background: paper
        Assert.Equal(255, sketch[14 * 28 + 14]);   // flat interior: no stroke
        Assert.True(sketch[14 * 28 + 8] < 100);    // the square's left edge is drawn
        Assert.Equal(0, sketch.Min());             // the strongest edge is black
        Assert.All(Channel(new SketchShift().Apply(Gray(28, (_, _) => 77), new Random(0))), v => Assert.Equal(255, v));
    }

    private static RgbImage ToRgb(ReadOnlySpan<byte> gray)
    {
        var image = new RgbImage(28, 28);
        for (int p = 0; p < gray.Length; p++) image.Pixels[3 * p] = image.Pixels[3 * p + 1] = image.Pixels[3 * p + 2] = gray[p];
        return image;
    }

    /// <summary>Orientation in degrees of the intensity's principal axis, counter-clockwise on screen (y points down).</summary>
    private static double Orientation(RgbImage image)
    {
        double m = 0, mx = 0, my = 0;
        for (int y = 0; y < image.Height; y++)
        for (int x = 0; x < image.Width; x++)
        {
            double v = image.Pixels[(y * image.Width + x) * 3];
            m += v; mx += v * x; my += v * y;
        }
        mx /= m; my /= m;
        double sxx = 0, syy = 0, sxy = 0;
        for (int y = 0; y < image.Height; y++)
        for (int x = 0; x < image.Width; x++)
        {
            double v = image.Pixels[(y * image.Width + x) * 3];
            sxx += v * (x - mx) * (x - mx); syy += v * (y - my) * (y - my); sxy += v * (x - mx) * (y - my);
        }
        return -0.5 * Math.Atan2(2 * sxy, sxx - syy) * 180 / Math.PI;
    }
}
