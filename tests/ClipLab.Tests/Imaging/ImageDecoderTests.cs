using ClipLab.Data;
using ClipLab.Imaging;
using Xunit;

namespace ClipLab.Tests.Imaging;

public class ImageDecoderTests
{
    [Fact]
    public void PngRoundTripIsExact()
    {
        var image = TestImages.Gradient(37, 21);
        var decoded = ImageDecoder.Decode(ImageEncoder.EncodePng(image));
        Assert.Equal(37, decoded.Width);
        Assert.Equal(21, decoded.Height);
        Assert.Equal(image.Pixels, decoded.Pixels);
    }

    [Fact]
    public void JpegAndWebpDecodeCloseToTheOriginal()
    {
        var image = RgbImage.Filled(32, 24, new RgbColor(200, 40, 90));
        foreach (var bytes in new[] { ImageEncoder.EncodeJpeg(image, 95), ImageEncoder.EncodeWebp(image, 95) })
        {
            var decoded = ImageDecoder.Decode(bytes);
            Assert.Equal((32, 24), (decoded.Width, decoded.Height));
            var p = decoded.GetPixel(16, 12);
            Assert.InRange(p.R, 190, 210);
            Assert.InRange(p.G, 30, 50);
            Assert.InRange(p.B, 80, 100);
        }
    }

    [Fact]
    public void GifFirstFrameUsesThePalette()
    {
        var red = new RgbColor(255, 0, 0);
        var blue = new RgbColor(0, 0, 255);
        var gif = TestImages.Gif(4, 3, red, blue, (x, _) => x < 2 ? 0 : 1);
        var decoded = ImageDecoder.Decode(gif);
        Assert.Equal((4, 3), (decoded.Width, decoded.Height));
        Assert.Equal(red, decoded.GetPixel(0, 1));
        Assert.Equal(blue, decoded.GetPixel(3, 2));
    }

    [Fact]
    public void GrayscalePngBecomesEqualChannels()
    {
        var decoded = ImageDecoder.Decode(TestImages.Png(2, 1, 0, [10, 240]));
        Assert.Equal(new RgbColor(10, 10, 10), decoded.GetPixel(0, 0));
        Assert.Equal(new RgbColor(240, 240, 240), decoded.GetPixel(1, 0));
    }

    [Fact]
    public void PalettePngIsExpanded()
    {
        var decoded = ImageDecoder.Decode(TestImages.Png(3, 1, 3, [0, 1, 2], palette: [255, 0, 0, 0, 255, 0, 1, 2, 3]));
        Assert.Equal(new RgbColor(255, 0, 0), decoded.GetPixel(0, 0));
        Assert.Equal(new RgbColor(0, 255, 0), decoded.GetPixel(1, 0));
        Assert.Equal(new RgbColor(1, 2, 3), decoded.GetPixel(2, 0));
    }

    [Fact]
    public void AlphaIsCompositedOverTheBackground()
    {
        // Pixel 0: opaque red; pixel 1: fully transparent; pixel 2: half-transparent black.
        var png = TestImages.Png(3, 1, 6, [255, 0, 0, 255, 9, 9, 9, 0, 0, 0, 0, 128]);
        var onWhite = ImageDecoder.Decode(png);
        Assert.Equal(new RgbColor(255, 0, 0), onWhite.GetPixel(0, 0));
        Assert.Equal(RgbColor.White, onWhite.GetPixel(1, 0));
        Assert.Equal(new RgbColor(127, 127, 127), onWhite.GetPixel(2, 0));

        var onGreen = ImageDecoder.Decode(png, options: new ImageDecodeOptions { Background = new RgbColor(0, 200, 0) });
        Assert.Equal(new RgbColor(0, 200, 0), onGreen.GetPixel(1, 0));
        Assert.Equal(new RgbColor(0, 100, 0), onGreen.GetPixel(2, 0));
    }

    [Fact]
    public void PaletteTransparencyIsComposited()
    {
        var png = TestImages.Png(2, 1, 3, [0, 1], palette: [10, 20, 30, 0, 0, 0], transparency: [255, 0]);
        var decoded = ImageDecoder.Decode(png, options: new ImageDecodeOptions { Background = new RgbColor(50, 60, 70) });
        Assert.Equal(new RgbColor(10, 20, 30), decoded.GetPixel(0, 0));
        Assert.Equal(new RgbColor(50, 60, 70), decoded.GetPixel(1, 0));
    }

    [Fact]
    public void LargeJpegIsDecodedAtReducedScaleKeepingTheShorterSide()
    {
        var jpeg = ImageEncoder.EncodeJpeg(TestImages.Gradient(800, 600), 85);
        var small = ImageDecoder.Decode(jpeg, minOutputSide: 64);
        Assert.True(Math.Min(small.Width, small.Height) >= 64);
        Assert.True(small.Width < 800, $"expected a reduced-scale decode, got {small.Width}×{small.Height}");
        Assert.Equal((100, 75), (small.Width, small.Height)); // 1/8 is the smallest scale with shorter side ≥ 64
        var mid = ImageDecoder.Decode(jpeg, minOutputSide: 200);
        Assert.Equal((400, 300), (mid.Width, mid.Height));
        var full = ImageDecoder.Decode(jpeg);
        Assert.Equal((800, 600), (full.Width, full.Height));
        // Exactly twice the minimum: half scale still meets it, so it is used.
        var square = ImageEncoder.EncodeJpeg(TestImages.Gradient(256, 256), 90);
        var half = ImageDecoder.Decode(square, minOutputSide: 128);
        Assert.Equal((128, 128), (half.Width, half.Height));
        Assert.Equal((256, 256), ImageDecoder.Decode(square, minOutputSide: 129) is var d ? (d.Width, d.Height) : default);
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    public void TruncatedFilesAreCorrupt(string format)
    {
        var image = TestImages.Gradient(64, 64);
        var bytes = format == "png" ? ImageEncoder.EncodePng(image) : ImageEncoder.EncodeJpeg(image);
        var truncated = bytes[..(bytes.Length / 2)];
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(truncated));
        Assert.Equal(SkipReason.CorruptImage, e.Reason);
        Assert.Contains(format, e.Message);
    }

    [Fact]
    public void HeaderOnlyIsCorrupt()
    {
        var bytes = ImageEncoder.EncodePng(TestImages.Gradient(8, 8));
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(bytes[..20]));
        Assert.Equal(SkipReason.CorruptImage, e.Reason);
    }

    [Fact]
    public void RandomBytesAndTextAreNotImages()
    {
        var random = new byte[1000];
        new Random(1).NextBytes(random);
        random[0] = 0; // make sure no signature matches by chance
        foreach (var bytes in new[] { random, "hello, this is a caption\n"u8.ToArray(), Array.Empty<byte>() })
        {
            var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(bytes));
            Assert.Equal(SkipReason.NotAnImage, e.Reason);
        }
    }

    [Fact]
    public void HugeDimensionsAreRefusedBeforeDecoding()
    {
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(TestImages.PngHeaderOnly(20_000, 20_000)));
        Assert.Equal(SkipReason.ImageTooLarge, e.Reason);
        Assert.Contains("20,000", e.Message);

        var small = ImageEncoder.EncodePng(TestImages.Gradient(100, 100));
        var limited = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(small, options: new ImageDecodeOptions { MaxPixels = 9_999 }));
        Assert.Equal(SkipReason.ImageTooLarge, limited.Reason);
    }
}
