using ClipLab.Data;
using ClipLab.Imaging;
using Xunit;

namespace ClipLab.Tests.Imaging;

public class PngDecoderTests
{
    private static readonly byte[] AllFilters = [0, 1, 2, 3, 4, 4, 3, 2, 1];

    private static byte[] RandomSamples(int count, int seed, int maxExclusive = 256)
    {
        var random = new Random(seed);
        var samples = new byte[count];
        for (int i = 0; i < count; i++) samples[i] = (byte)random.Next(maxExclusive);
        return samples;
    }

    private static RgbImage Skia(byte[] png, int? minOutputSide = null) =>
        ImageDecoder.DecodeWithSkia(png, "png", minOutputSide, ImageDecodeOptions.Default);

    public static TheoryData<byte, int, bool> ColourTypes() => new()
    {
        { 0, 1, false }, { 0, 1, true }, { 2, 3, false }, { 2, 3, true }, { 3, 1, false }, { 3, 1, true }, { 4, 2, false }, { 6, 4, false },
    };

    [Theory]
    [MemberData(nameof(ColourTypes))]
    public void EveryColourTypeAndFilterDecodesExactlyAsSkiaDoes(byte colorType, int channels, bool transparency)
    {
        const int width = 37, height = 19;
        // Few distinct values, so transparent-colour keys (tRNS of grey and RGB images) actually occur.
        var samples = RandomSamples(width * height * channels, colorType * 10 + (transparency ? 1 : 0), colorType == 3 ? 5 : transparency ? 4 : 256);
        byte[]? palette = colorType == 3 ? [255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 99, 199, 250, 250, 250] : null;
        byte[]? trns = !transparency ? null : colorType switch
        {
            0 => [0, 2],                 // grey 2 is transparent
            2 => [0, 1, 0, 3, 0, 0],     // RGB (1, 3, 0) is transparent
            _ => [255, 0, 128],          // palette entries 1 and 2 partly or fully transparent
        };
        var png = TestImages.Png(width, height, colorType, samples, palette, trns, AllFilters, idatChunks: 3);

        var managed = PngDecoder.TryDecode(png, 1, ImageDecodeOptions.Default);
        Assert.NotNull(managed);
        var reference = Skia(png);
        Assert.Equal((reference.Width, reference.Height), (managed.Width, managed.Height));
        Assert.Equal(reference.Pixels, managed.Pixels);
    }

    [Fact]
    public void PaethRowsOfFourBytePixelsWithAlphaMatchSkia()
    {
        // Wide enough that the SIMD Paeth loop runs many pixels; RGBA with varied alpha.
        const int width = 131, height = 9;
        var png = TestImages.Png(width, height, 6, RandomSamples(width * height * 4, 3), filters: [4]);
        Assert.Equal(Skia(png).Pixels, PngDecoder.TryDecode(png, 1, ImageDecodeOptions.Default)!.Pixels);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void BlockDecodingAveragesEachBlockAndDropsPartialEdges(int block)
    {
        const int width = 45, height = 35;
        var png = TestImages.Png(width, height, 2, RandomSamples(width * height * 3, block), filters: AllFilters);
        var full = PngDecoder.TryDecode(png, 1, ImageDecodeOptions.Default)!;
        var reduced = PngDecoder.TryDecode(png, block, ImageDecodeOptions.Default)!;
        Assert.Equal((width / block, height / block), (reduced.Width, reduced.Height));
        for (int oy = 0; oy < reduced.Height; oy++)
        for (int ox = 0; ox < reduced.Width; ox++)
        {
            int r = 0, g = 0, b = 0;
            for (int y = oy * block; y < (oy + 1) * block; y++)
            for (int x = ox * block; x < (ox + 1) * block; x++)
            {
                var p = full.GetPixel(x, y);
                r += p.R;
                g += p.G;
                b += p.B;
            }
            int area = block * block;
            var expected = new RgbColor((byte)((r + area / 2) / area), (byte)((g + area / 2) / area), (byte)((b + area / 2) / area));
            Assert.Equal(expected, reduced.GetPixel(ox, oy));
        }
    }

    [Fact]
    public void DecoderPicksTheSmallestBlockScaleThatKeepsTheRequestedSide()
    {
        var png = ImageEncoder.EncodePng(TestImages.Gradient(300, 256));
        Assert.Equal((75, 64), Size(ImageDecoder.Decode(png, minOutputSide: 64)));   // 4×4 blocks: shorter side 64
        Assert.Equal((150, 128), Size(ImageDecoder.Decode(png, minOutputSide: 100))); // 2×2: 128 ≥ 100, 4×4 would give 64
        Assert.Equal((300, 256), Size(ImageDecoder.Decode(png, minOutputSide: 129))); // shorter side < 2 × 129: full size
        Assert.Equal((300, 256), Size(ImageDecoder.Decode(png)));
    }

    private static (int, int) Size(RgbImage image) => (image.Width, image.Height);

    [Fact]
    public void SixteenBitAndInterlacedPngsAreLeftToSkia()
    {
        const int width = 6, height = 5;
        var deep = TestImages.Png(width, height, 2, RandomSamples(width * height * 6, 1), bitDepth: 16);
        Assert.Null(PngDecoder.TryDecode(deep, 1, ImageDecodeOptions.Default));
        var decoded = ImageDecoder.Decode(deep);
        Assert.Equal((width, height), Size(decoded));

        var interlacedHeader = TestImages.Png(width, height, 2, RandomSamples(width * height * 3, 2), interlaced: true);
        Assert.Null(PngDecoder.TryDecode(interlacedHeader, 1, ImageDecodeOptions.Default));
    }

    [Fact]
    public void DamagedDataIsCorruptWithTheReason()
    {
        const int width = 40, height = 30;
        var samples = RandomSamples(width * height * 3, 7);

        var badFilter = TestImages.Png(width, height, 2, samples, filters: [0, 0, 9]);
        Assert.Contains("filter type 9", Corrupt(badFilter));

        var badIndex = TestImages.Png(4, 1, 3, [0, 1, 2, 3], palette: [1, 2, 3, 4, 5, 6]);
        Assert.Contains("palette entry 2 of a 2-entry palette", Corrupt(badIndex));

        var good = TestImages.Png(width, height, 2, samples, filters: AllFilters);
        Assert.Contains("truncated", Corrupt(good.AsSpan(0, good.Length / 2).ToArray()));

        // Flip bits in the middle of the compressed data: zlib finds bad codes or a wrong Adler-32 checksum.
        var flipped = (byte[])good.Clone();
        int idat = IndexOf(flipped, "IDAT"u8) + 4;
        for (int i = idat + 20; i < idat + 40; i++) flipped[i] ^= 0x5A;
        Assert.Contains("compressed image data", Corrupt(flipped));
    }

    private static string Corrupt(byte[] png)
    {
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(png));
        Assert.Equal(SkipReason.CorruptImage, e.Reason);
        return e.Message;
    }

    private static int IndexOf(byte[] data, ReadOnlySpan<byte> pattern) => data.AsSpan().IndexOf(pattern);
}
