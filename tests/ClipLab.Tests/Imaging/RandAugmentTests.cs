using ClipLab.Imaging;
using ClipLab.Imaging.Ops;
using ClipLab.Imaging.Pipeline;
using Xunit;

namespace ClipLab.Tests.Imaging;

/// <summary>
/// Pins one image through each RandAugment transform at known magnitudes, with the expected pixels computed here
/// from the published definitions (rotation by the angle, solarize threshold, posterize bits, enhance factors),
/// not by calling the op under test.
/// </summary>
public class RandAugmentTests
{
    private static readonly RgbImage Image = TestImages.Gradient(20, 16);
    private static readonly RgbColor Grey = RgbColor.MidGrey;

    private static RgbImage Paper(RandAugmentTransform t, double m, double sign = 1) => RandAugmentOp.ApplyTransform(Image, t, m, sign, Grey);
    private static RgbImage InfoMin(RandAugmentTransform t, double m, double sign = 1) =>
        RandAugmentOp.ApplyTransform(Image, t, m, sign, Grey, RandAugmentRecipe.InfoMin);

    private static byte[] MapChannels(Func<int, int> f) => Image.Pixels.Select(v => (byte)Math.Clamp(f(v), 0, 255)).ToArray();

    private static double Luma(byte[] p, int i) => (p[i] * 19595 + p[i + 1] * 38470 + p[i + 2] * 7471 + 0x8000) >> 16;

    private static void AssertClose(byte[] expected, byte[] actual, int tolerance = 1)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"value {i}: expected {expected[i]}, got {actual[i]}");
    }

    /// <summary>Reference inverse warp: output pixel centre (x+½, y+½) samples input (a·x+b·y+c, d·x+e·y+f), bilinear, fill outside.</summary>
    private static byte[] Warp(double a, double b, double c, double d, double e, double f, RgbColor fill)
    {
        int w = Image.Width, h = Image.Height;
        var src = Image.Pixels;
        var fillRgb = new[] { fill.R, fill.G, fill.B };
        var dst = new byte[w * h * 3];
        double At(int x, int y, int ch) => x >= 0 && y >= 0 && x < w && y < h ? src[(y * w + x) * 3 + ch] : fillRgb[ch];
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        {
            double sx = a * (x + 0.5) + b * (y + 0.5) + c - 0.5, sy = d * (x + 0.5) + e * (y + 0.5) + f - 0.5;
            for (int ch = 0; ch < 3; ch++)
            {
                double v;
                if (sx <= -1 || sy <= -1 || sx >= w || sy >= h) v = fillRgb[ch];
                else
                {
                    int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
                    double fx = sx - x0, fy = sy - y0;
                    v = At(x0, y0, ch) * (1 - fx) * (1 - fy) + At(x0 + 1, y0, ch) * fx * (1 - fy)
                      + At(x0, y0 + 1, ch) * (1 - fx) * fy + At(x0 + 1, y0 + 1, ch) * fx * fy;
                }
                dst[(y * w + x) * 3 + ch] = (byte)Math.Clamp(Math.Round(v), 0, 255);
            }
        }
        return dst;
    }

    [Fact]
    public void MagnitudeIsOnTheTenPointScale()
    {
        Assert.Equal(10, RandAugmentOp.MaxMagnitude);
        var op = Assert.IsType<RandAugmentOp>(ImagePipeline.Parse("center_crop(16) | randaug(2, 9)").Ops[1]);
        Assert.Equal(9, op.Magnitude);
        Assert.Equal(RandAugmentRecipe.Paper, op.Recipe);
        Assert.Equal(1.0, op.TransformProbability);
        Assert.Equal(14, op.Transforms.Count);
        Assert.Contains(RandAugmentTransform.Identity, op.Transforms);
        var e = Assert.ThrowsAny<ArgumentException>(() => ImagePipeline.Parse("center_crop(16) | randaug(2, 11)"));
        Assert.Contains("outside [0, 10]", e.Message);
    }

    [Fact]
    public void PaperRotateAtM9TurnsBy27Degrees()
    {
        foreach (double sign in new[] { 1.0, -1.0 })
        {
            double a = sign * 27 * Math.PI / 180, cos = Math.Cos(a), sin = Math.Sin(a), cx = 10, cy = 8;
            // Counter-clockwise by a on screen (y down): input = R(−a)(output − centre) + centre.
            var expected = Warp(cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy, Grey);
            AssertClose(expected, Paper(RandAugmentTransform.Rotate, 9, sign).Pixels);
        }
        // The old 0–30 reading of M = 9 was 9°: make sure this is not that.
        double old = 9 * Math.PI / 180;
        var nineDegrees = Warp(Math.Cos(old), -Math.Sin(old), 10 - Math.Cos(old) * 10 + Math.Sin(old) * 8, Math.Sin(old), Math.Cos(old), 8 - Math.Sin(old) * 10 - Math.Cos(old) * 8, Grey);
        Assert.NotEqual(nineDegrees, Paper(RandAugmentTransform.Rotate, 9).Pixels);
    }

    [Fact]
    public void PaperShearAndTranslateAtKnownMagnitudes()
    {
        AssertClose(Warp(1, 0.27, 0, 0, 1, 0, Grey), Paper(RandAugmentTransform.ShearX, 9).Pixels);
        AssertClose(Warp(1, 0, 0, -0.15, 1, 0, Grey), Paper(RandAugmentTransform.ShearY, 5, -1).Pixels);
        // M = 10: 0.45 of the 20-pixel width = 9 pixels; output x shows input x + 9, grey where that is outside.
        var shifted = Paper(RandAugmentTransform.TranslateX, 10);
        for (int y = 0; y < 16; y++)
        for (int x = 0; x < 20; x++)
            Assert.Equal(x + 9 < 20 ? Image.GetPixel(x + 9, y) : Grey, shifted.GetPixel(x, y));
        AssertClose(Warp(1, 0, 0, 0, 1, -0.45 * 0.6 * 16, Grey), Paper(RandAugmentTransform.TranslateY, 6, -1).Pixels);
    }

    [Fact]
    public void PaperSolarizeAndPosterizeAtKnownMagnitudes()
    {
        // Solarize threshold 256·(1 − M/10): M = 9 → 26, values ≥ 26 are inverted.
        Assert.Equal(MapChannels(v => v < 26 ? v : 255 - v), Paper(RandAugmentTransform.Solarize, 9).Pixels);
        Assert.Equal(MapChannels(v => v < 128 ? v : 255 - v), Paper(RandAugmentTransform.Solarize, 5).Pixels);
        // Posterize 8 − round(4·M/10) bits: M = 9 → 4 bits, M = 5 → 6 bits, M = 0 → unchanged.
        Assert.Equal(MapChannels(v => v & 0xF0), Paper(RandAugmentTransform.Posterize, 9).Pixels);
        Assert.Equal(MapChannels(v => v & 0xFC), Paper(RandAugmentTransform.Posterize, 5).Pixels);
        Assert.Equal(Image.Pixels, Paper(RandAugmentTransform.Posterize, 0).Pixels);
    }

    [Fact]
    public void PaperEnhanceFactorsAreOnePlusMinusPoint9TimesLevel()
    {
        // Brightness at M = 9: factor 1.81 (sign +) or 0.19 (sign −).
        AssertClose(MapChannels(v => (int)Math.Round(v * 1.81)), Paper(RandAugmentTransform.Brightness, 9).Pixels);
        AssertClose(MapChannels(v => (int)Math.Round(v * 0.19)), Paper(RandAugmentTransform.Brightness, 9, -1).Pixels);

        // Contrast: blend with the mean luma.
        var p = Image.Pixels;
        double mean = Enumerable.Range(0, p.Length / 3).Average(i => Luma(p, 3 * i));
        AssertClose(MapChannels(v => (int)Math.Round(mean + 1.81 * (v - mean))), Paper(RandAugmentTransform.Contrast, 9).Pixels);

        // Colour (saturation): blend each pixel with its own luma, factor 0.55 at M = 5, sign −.
        var expected = new byte[p.Length];
        for (int i = 0; i < p.Length; i += 3)
        {
            double l = Luma(p, i);
            for (int ch = 0; ch < 3; ch++) expected[i + ch] = (byte)Math.Clamp(Math.Round(l + 0.55 * (p[i + ch] - l)), 0, 255);
        }
        AssertClose(expected, Paper(RandAugmentTransform.Color, 5, -1).Pixels);

        // Sharpness: the same op at factor 1.81 (its kernel is pinned in ImageOpsTests).
        Assert.Equal(ColorAdjust.Sharpness(Image, 1.81f).Pixels, Paper(RandAugmentTransform.Sharpness, 9).Pixels);
        Assert.Equal(Image.Pixels, Paper(RandAugmentTransform.Identity, 9).Pixels);
    }

    [Fact]
    public void InfoMinLevelsFollowPyContrast()
    {
        // Enhance factor 0.1 + 1.8·m/10, unsigned: m = 10 → 1.9 for both signs.
        AssertClose(MapChannels(v => (int)Math.Round(v * 1.9)), InfoMin(RandAugmentTransform.Brightness, 10, -1).Pixels);
        AssertClose(MapChannels(v => (int)Math.Round(v * 1.0)), InfoMin(RandAugmentTransform.Brightness, 5, -1).Pixels);
        // Posterize ⌊4·m/10⌋ bits: m = 10 → 4, m = 5 → 2, m = 2 → 0 (black, as PIL).
        Assert.Equal(MapChannels(v => v & 0xF0), InfoMin(RandAugmentTransform.Posterize, 10).Pixels);
        Assert.Equal(MapChannels(v => v & 0xC0), InfoMin(RandAugmentTransform.Posterize, 5).Pixels);
        Assert.All(InfoMin(RandAugmentTransform.Posterize, 2).Pixels, v => Assert.Equal(0, v));
        // Solarize threshold ⌊256·m/10⌋: m = 5 → 128; m = 10 → 256, unchanged.
        Assert.Equal(MapChannels(v => v < 128 ? v : 255 - v), InfoMin(RandAugmentTransform.Solarize, 5).Pixels);
        Assert.Equal(Image.Pixels, InfoMin(RandAugmentTransform.Solarize, 10).Pixels);
        // SolarizeAdd ⌊110·m/10⌋ to values below 128; Invert.
        Assert.Equal(MapChannels(v => v < 128 ? v + 110 : v), InfoMin(RandAugmentTransform.SolarizeAdd, 10).Pixels);
        Assert.Equal(MapChannels(v => v < 128 ? v + 55 : v), InfoMin(RandAugmentTransform.SolarizeAdd, 5).Pixels);
        Assert.Equal(MapChannels(v => 255 - v), InfoMin(RandAugmentTransform.Invert, 3).Pixels);
        // Geometry as in the paper recipe: rotate 30° at m = 10.
        double a = 30 * Math.PI / 180, cos = Math.Cos(a), sin = Math.Sin(a);
        AssertClose(Warp(cos, -sin, 10 - cos * 10 + sin * 8, sin, cos, 8 - sin * 10 - cos * 8, Grey), InfoMin(RandAugmentTransform.Rotate, 10).Pixels);
    }

    [Fact]
    public void InfoMinAppliesEachDrawnTransformWithHalfProbability()
    {
        var op = new RandAugmentOp(1, 10, recipe: RandAugmentRecipe.InfoMin, transforms: [RandAugmentTransform.Invert]);
        Assert.Equal(0.5, op.TransformProbability);
        Assert.Equal(RandAugmentOp.ImageNetMeanFill, op.Fill);
        Assert.Equal(15, new RandAugmentOp(2, 10, recipe: RandAugmentRecipe.InfoMin).Transforms.Count);
        var rng = new Random(5);
        int inverted = Enumerable.Range(0, 4000).Count(_ => op.Apply(Image, rng).Pixels[0] != Image.Pixels[0]);
        Assert.InRange(inverted, 1800, 2200);
        var always = new RandAugmentOp(1, 10, transforms: [RandAugmentTransform.Invert]);
        Assert.Equal(MapChannels(v => 255 - v), always.Apply(Image, new Random(5)).Pixels);
    }

    [Fact]
    public void StackedRandAugmentFollowsInfoMinsOrder()
    {
        var op = Assert.IsType<StackedRandAugmentOp>(ImagePipeline.Parse("center_crop(16) | stacked_randaug").Ops[1]);
        Assert.Collection(op.Steps,
            s => { var j = Assert.IsType<ColorJitterOp>(s); Assert.Equal((0.8, 0.8, 0.8, 0.2, 0.8), (j.Brightness, j.Contrast, j.Saturation, j.Hue, j.Probability)); },
            s => { var b = Assert.IsType<GaussianBlurOp>(s); Assert.Equal((0.5, 0.1, 2.0), (b.Probability, b.SigmaMin, b.SigmaMax)); },
            s => { var r = Assert.IsType<RandAugmentOp>(s); Assert.Equal((2, 10.0, 0.5, RandAugmentRecipe.InfoMin), (r.Count, r.Magnitude, r.MagnitudeStd, r.Recipe)); },
            s => Assert.Equal(0.2, Assert.IsType<GrayscaleOp>(s).Probability));
        Assert.Equal(23, GaussianBlurOp.KernelSize(224, 224)); // PyContrast's GaussianBlur(22) → 23 taps at 224 px
    }
}
