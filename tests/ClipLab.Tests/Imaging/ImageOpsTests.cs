using ClipLab.Imaging;
using ClipLab.Imaging.Ops;
using ClipLab.Imaging.Pipeline;
using Xunit;

namespace ClipLab.Tests.Imaging;

public class ImageOpsTests
{
    private static readonly RgbImage Source = TestImages.Gradient(96, 80);

    public static TheoryData<string, int> SizedOps => new()
    {
        { "resize(40, 40)", 40 },
        { "center_crop(32)", 32 },
        { "resize_center_crop(32, 0.875)", 32 },
        { "random_crop(32)", 32 },
        { "random_resized_crop(32)", 32 },
        { "center_crop(48) | flip(1)", 48 },
        { "center_crop(48) | color_jitter(0.4, 0.4, 0.4, 0.1)", 48 },
        { "center_crop(48) | grayscale(1)", 48 },
        { "center_crop(48) | gaussian_blur(1)", 48 },
        { "center_crop(48) | randaug(3, 5)", 48 },
        { "center_crop(48) | stacked_randaug", 48 },
    };

    [Theory]
    [MemberData(nameof(SizedOps))]
    public void EachOpHasItsSizeRangeAndIsDeterministic(string spec, int size)
    {
        var pipeline = ImagePipeline.Parse(spec);
        Assert.Equal(size, pipeline.OutputSize);
        var a = pipeline.Run(Source, new Random(7));
        var b = pipeline.Run(Source, new Random(7));
        Assert.Equal(3 * size * size, a.Length);
        Assert.Equal(a, b);
        Assert.All(a, v => Assert.InRange(v, -1f, 1f));
        Assert.Equal(size, pipeline.Augment(Source, new Random(7)).Width);
    }

    [Fact]
    public void RandomOpsVaryWithTheSeed()
    {
        foreach (string spec in new[] { "random_crop(32)", "random_resized_crop(32)", "center_crop(48) | randaug(2, 7)", "center_crop(48) | color_jitter(0.5, 0.5, 0.5, 0.2)" })
        {
            var p = ImagePipeline.Parse(spec);
            var outputs = Enumerable.Range(0, 6).Select(seed => p.Run(Source, new Random(seed))).ToList();
            Assert.True(outputs.Skip(1).Any(o => !o.SequenceEqual(outputs[0])), spec);
        }
    }

    [Fact]
    public void FlipMirrorsPixels()
    {
        var flipped = new HorizontalFlipOp(1).Apply(Source, new Random(0));
        Assert.Equal(Source.GetPixel(0, 5), flipped.GetPixel(95, 5));
        Assert.Equal(Source.GetPixel(10, 70), flipped.GetPixel(85, 70));
        Assert.Same(Source, new HorizontalFlipOp(0).Apply(Source, new Random(0)));
    }

    [Fact]
    public void GrayscaleHasEqualChannelsWithPilLuma()
    {
        var gray = new GrayscaleOp(1).Apply(Source, new Random(0));
        for (int i = 0; i < gray.Pixels.Length; i += 3)
        {
            Assert.Equal(gray.Pixels[i], gray.Pixels[i + 1]);
            Assert.Equal(gray.Pixels[i], gray.Pixels[i + 2]);
        }
        var red = ColorAdjust.Grayscale(RgbImage.Filled(1, 1, new RgbColor(255, 0, 0)));
        Assert.Equal(76, red.Pixels[0]); // 0.299·255
    }

    [Fact]
    public void ValueRangeMapsEndpoints()
    {
        var image = new RgbImage(2, 1, [0, 0, 0, 255, 255, 255]);
        var chw = new float[6];
        new ValueRangeConverter(-1, 1).Convert(image, chw);
        Assert.Equal([-1f, 1f, -1f, 1f, -1f, 1f], chw);
        new NormalizeConverter([0.5, 0.5, 0.5], [0.5, 0.25, 1]).Convert(image, chw);
        Assert.Equal([-1f, 1f, -2f, 2f, -0.5f, 0.5f], chw);
    }

    [Fact]
    public void CenterCropTakesTheMiddle()
    {
        var crop = new CenterCropOp(32).Apply(Source, new Random(0));
        Assert.Equal(Source.GetPixel(32, 24), crop.GetPixel(0, 0));
        Assert.Equal(Source.GetPixel(63, 55), crop.GetPixel(31, 31));
    }

    [Fact]
    public void ResizeOfAConstantImageStaysConstant()
    {
        var color = new RgbColor(13, 200, 77);
        var image = RgbImage.Filled(123, 77, color);
        foreach (var op in new IImageOp[] { new ResizeShorterSideOp(40), new ResizeShorterSideOp(300), new ResizeExactOp(31, 17), new RandomResizedCropOp(24), new ResizeCenterCropOp(20) })
        {
            var r = op.Apply(image, new Random(3));
            Assert.All(Enumerable.Range(0, r.Width * r.Height), i => Assert.Equal(color, r.GetPixel(i % r.Width, i / r.Width)));
        }
    }

    [Fact]
    public void ResizeKeepsAspectAndAntialiases()
    {
        var r = new ResizeShorterSideOp(40).Apply(Source, new Random(0));
        Assert.Equal((48, 40), (r.Width, r.Height));
        // A 1-pixel checkerboard halved becomes flat grey when antialiased (point sampling would keep 0/255).
        var checker = new RgbImage(64, 64);
        for (int y = 0; y < 64; y++)
        for (int x = 0; x < 64; x++)
            if ((x + y) % 2 == 0) checker.SetPixel(x, y, RgbColor.White);
        var half = new ResizeExactOp(16, 16).Apply(checker, new Random(0));
        Assert.All(half.Pixels, v => Assert.InRange(v, 100, 155));
    }

    [Fact]
    public void ResizeCenterCropUsesTheEvalRatio()
    {
        var op = new ResizeCenterCropOp(64, 0.875);
        Assert.Equal(73, op.ResizeTo);
        // Left half black, right half white: the centre column boundary stays in the middle.
        var image = new RgbImage(200, 100);
        for (int y = 0; y < 100; y++)
        for (int x = 100; x < 200; x++)
            image.SetPixel(x, y, RgbColor.White);
        var r = op.Apply(image, new Random(0));
        Assert.Equal((64, 64), (r.Width, r.Height));
        Assert.Equal(0, r.GetPixel(10, 32).R);
        Assert.Equal(255, r.GetPixel(53, 32).R);
    }

    [Fact]
    public void RandomResizedCropBoxesFitAndFallBackToCentre()
    {
        var op = new RandomResizedCropOp(32, 0.5, 1.0);
        var rng = new Random(5);
        for (int i = 0; i < 200; i++)
        {
            var (left, top, w, h) = op.SampleBox(96, 80, rng);
            Assert.True(left >= 0 && top >= 0 && left + w <= 96 && top + h <= 80);
            Assert.InRange((double)w * h / (96 * 80), 0.45, 1.0);
        }
        // A 1000×10 strip can never fit a box with ratio ≤ 4/3 and area ≥ 50%: the fallback is a centred crop.
        var fallback = op.SampleBox(1000, 10, new Random(1));
        Assert.Equal((493, 0, 13, 10), fallback);
    }

    [Fact]
    public void RandAugmentAtZeroMagnitudeKeepsTheImage()
    {
        var noHistogram = Enum.GetValues<RandAugmentTransform>().Where(t => t is not RandAugmentTransform.AutoContrast and not RandAugmentTransform.Equalize and not RandAugmentTransform.Invert).ToArray();
        var zero = new RandAugmentOp(5, 0, transforms: noHistogram);
        Assert.Equal(Source.Pixels, zero.Apply(Source, new Random(11)).Pixels);
        var identity = new RandAugmentOp(3, 10, transforms: [RandAugmentTransform.Identity]);
        Assert.Equal(Source.Pixels, identity.Apply(Source, new Random(11)).Pixels);
        var strong = new RandAugmentOp(3, 10, transforms: [RandAugmentTransform.Rotate]);
        Assert.NotEqual(Source.Pixels, strong.Apply(Source, new Random(11)).Pixels);
    }

    [Fact]
    public void SolarizeAndPosterizeOnKnownValues()
    {
        var image = new RgbImage(2, 1, [0, 100, 127, 128, 200, 255]);
        Assert.Equal([0, 100, 127, 127, 55, 0], HistogramAdjust.Solarize(image, 128).Pixels);
        Assert.Equal(image.Pixels, HistogramAdjust.Solarize(image, 256).Pixels);
        Assert.Equal([0, 96, 112, 128, 192, 240], HistogramAdjust.Posterize(image, 4).Pixels);
        Assert.Equal(image.Pixels, HistogramAdjust.Posterize(image, 8).Pixels);
        // RandAugment magnitude scale (0–10): M = 10 posterizes to 4 bits and solarizes everything.
        Assert.Equal(HistogramAdjust.Posterize(image, 4).Pixels, RandAugmentOp.ApplyTransform(image, RandAugmentTransform.Posterize, 10, 1, RgbColor.MidGrey).Pixels);
        Assert.Equal([255, 155, 128, 127, 55, 0], RandAugmentOp.ApplyTransform(image, RandAugmentTransform.Solarize, 10, 1, RgbColor.MidGrey).Pixels);
    }

    [Fact]
    public void AutoContrastStretchesEachChannel()
    {
        var image = new RgbImage(3, 1, [50, 10, 7, 100, 20, 7, 150, 30, 7]);
        var r = HistogramAdjust.AutoContrast(image).Pixels;
        Assert.Equal([0, 127, 255], new[] { r[0], r[3], r[6] });
        Assert.Equal([0, 127, 255], new[] { r[1], r[4], r[7] });
        Assert.Equal([7, 7, 7], new[] { r[2], r[5], r[8] }); // flat channel unchanged
    }

    [Fact]
    public void EqualizeSpreadsAHistogram()
    {
        // 4 values, 1024 pixels each: PIL's step = (4096 − 1024) / 255 = 12 maps them to 0, 85, 171, 255.
        var px = new byte[4096 * 3];
        for (int i = 0; i < 4096; i++) px[3 * i] = px[3 * i + 1] = px[3 * i + 2] = (byte)(100 + i / 1024);
        var r = HistogramAdjust.Equalize(new RgbImage(64, 64, px)).Pixels;
        Assert.Equal([0, 85, 171, 255], new[] { r[0], r[1024 * 3], r[2048 * 3], r[3072 * 3] });
        // Too few pixels outside the top bin: PIL leaves the channel unchanged.
        var tiny = new RgbImage(2, 1, [10, 10, 10, 20, 20, 20]);
        Assert.Equal(tiny.Pixels, HistogramAdjust.Equalize(tiny).Pixels);
    }

    [Fact]
    public void AffineOpsUseTheFillColourAndIdentityIsExact()
    {
        var image = RgbImage.Filled(20, 20, new RgbColor(10, 20, 30));
        Assert.Equal(image.Pixels, AffineWarp.Warp(image, 1, 0, 0, 0, 1, 0, RgbColor.MidGrey).Pixels);
        var shifted = AffineWarp.Translate(image, 10, 0, RgbColor.MidGrey);
        Assert.Equal(new RgbColor(10, 20, 30), shifted.GetPixel(2, 10));
        Assert.Equal(RgbColor.MidGrey, shifted.GetPixel(15, 10));
        var rotated = AffineWarp.Rotate(image, 45, RgbColor.MidGrey);
        Assert.Equal(RgbColor.MidGrey, rotated.GetPixel(0, 0));
        Assert.Equal(new RgbColor(10, 20, 30), rotated.GetPixel(10, 10));
        var sheared = AffineWarp.ShearX(image, 0.3, RgbColor.MidGrey);
        Assert.Equal(RgbColor.MidGrey, sheared.GetPixel(19, 19));
    }

    [Fact]
    public void ColorJitterOfZeroStrengthAndBlurOfConstantKeepTheImage()
    {
        Assert.Equal(Source.Pixels, new ColorJitterOp(0, 0, 0, 0).Apply(Source, new Random(1)).Pixels);
        var flat = RgbImage.Filled(30, 30, new RgbColor(90, 91, 92));
        Assert.Equal(flat.Pixels, new GaussianBlurOp(1, 2, 2).Apply(flat, new Random(1)).Pixels);
        var blurred = new GaussianBlurOp(1, 2, 2).Apply(Source, new Random(1));
        Assert.NotEqual(Source.Pixels, blurred.Pixels);
        Assert.Equal(3, GaussianBlurOp.KernelSize(32, 32));
        Assert.Equal(23, GaussianBlurOp.KernelSize(224, 224));
    }

    [Fact]
    public void BrightnessContrastSaturationFactors()
    {
        var image = new RgbImage(2, 1, [100, 50, 0, 200, 150, 100]);
        Assert.Equal([0, 0, 0, 0, 0, 0], ColorAdjust.Brightness(image, 0).Pixels);
        Assert.Equal([200, 100, 0, 255, 255, 200], ColorAdjust.Brightness(image, 2).Pixels);
        var flat = ColorAdjust.Contrast(image, 0).Pixels;
        Assert.All(flat, v => Assert.Equal(flat[0], v));
        var gray = ColorAdjust.Saturation(image, 0);
        Assert.Equal(ColorAdjust.Grayscale(image).Pixels, gray.Pixels);
        var hue = ColorAdjust.Hue(RgbImage.Filled(1, 1, new RgbColor(255, 0, 0)), 1f / 3);
        Assert.Equal(new RgbColor(0, 255, 0), hue.GetPixel(0, 0));
    }
}
