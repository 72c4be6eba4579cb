using ClipLab.Imaging;
using ClipLab.Imaging.Ops;
using ClipLab.Imaging.Pipeline;
using Xunit;

namespace ClipLab.Tests.Imaging;

public class ImagePipelineTests
{
    private static readonly RgbImage Source = TestImages.Gradient(100, 90);

    [Fact]
    public void ParsesTheExampleSpecWithWhitespaceAndDecimals()
    {
        var p = ImagePipeline.Parse("  resize( 72 ) |random_crop(64)| flip |randaug(2, 9.5)|value_range(-1, 1.0)");
        Assert.Equal(64, p.OutputSize);
        Assert.Equal(4, p.Ops.Count);
        Assert.IsType<RandAugmentOp>(p.Ops[3]);
        Assert.Equal(9.5, ((RandAugmentOp)p.Ops[3]).Magnitude);
        Assert.Equal("resize(72) | random_crop(64) | flip(0.5) | randaug(2, 9.5, 0) | value_range(-1, 1)", p.Spec);
        Assert.Equal(3 * 64 * 64, p.Run(Source, new Random(1)).Length);
    }

    [Fact]
    public void KeywordArgumentsAndDefaultConversion()
    {
        var p = ImagePipeline.Parse("center_crop(32) | randaug(m=5, n=1)");
        Assert.EndsWith("value_range(-1, 1)", p.Spec);
        Assert.Contains("randaug(1, 5, 0)", p.Spec);
        var x = p.Run(RgbImage.Filled(40, 40, RgbColor.White), new Random(0));
        Assert.Contains(x, v => v > 0.9f);
    }

    [Fact]
    public void UnknownOpListsTheValidOps()
    {
        var e = Assert.Throws<ArgumentException>(() => ImagePipeline.Parse("resize(64) | sharpen(2) | center_crop(64)"));
        Assert.Contains("'sharpen'", e.Message);
        foreach (string name in ImageOpRegistry.Default.Names) Assert.Contains(name, e.Message);
    }

    [Theory]
    [InlineData("random_resized_crop(64, 0.9, 0.5)", "random_resized_crop", "scale_min")]
    [InlineData("center_crop(0)", "center_crop", "size")]
    [InlineData("center_crop(12.5)", "center_crop", "integer")]
    [InlineData("center_crop()", "center_crop", "missing argument 'size'")]
    [InlineData("center_crop(32) | flip(2)", "flip", "p = 2 is outside [0, 1]")]
    [InlineData("center_crop(32) | randaug(2, 11)", "randaug", "m = 11 is outside [0, 10]")]
    [InlineData("center_crop(32) | flip(0.5, 1)", "flip", "at most 1 argument")]
    [InlineData("center_crop(32) | flip(q=1)", "flip", "no argument 'q'")]
    [InlineData("center_crop(32) | flip(x)", "flip", "'x' is not a number")]
    public void BadArgumentsNameTheOpAndItsSignature(string spec, string op, string fragment)
    {
        var e = Assert.Throws<ArgumentException>(() => ImagePipeline.Parse(spec));
        Assert.Contains(op, e.Message);
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void SignatureIsShownForArityErrors()
    {
        var e = Assert.Throws<ArgumentException>(() => ImagePipeline.Parse("center_crop(32) | color_jitter(0.4)"));
        Assert.Contains("color_jitter(brightness: number in [0, 10], contrast", e.Message);
        Assert.Contains("hue: number in [0, 0.5]", e.Message);
    }

    [Theory]
    [InlineData("resize(64) | flip")]
    [InlineData("flip")]
    [InlineData("center_crop(32) | resize(20, 30)")]
    public void PipelinesWithoutAFixedSquareSizeAreRejected(string spec)
    {
        var e = Assert.Throws<ArgumentException>(() => ImagePipeline.Parse(spec));
        Assert.Contains("fixed square size", e.Message);
    }

    [Theory]
    [InlineData("center_crop(32) | value_range(0, 1) | flip")]
    [InlineData("center_crop(32) | value_range(0, 1) | normalize(0.5, 0.5, 0.5, 0.2, 0.2, 0.2)")]
    public void ConversionMustBeLastAndSingle(string spec)
    {
        var e = Assert.Throws<ArgumentException>(() => ImagePipeline.Parse(spec));
        Assert.Contains("must be the last op", e.Message);
    }

    [Fact]
    public void JsonFormEqualsStringForm()
    {
        var fromString = ImagePipeline.Parse("resize(72) | random_crop(64) | flip | randaug(2, 9) | normalize(0.48, 0.46, 0.41, 0.27, 0.26, 0.28)");
        var fromJson = ImagePipeline.FromJson("""
            [{"op": "resize", "args": [72]}, {"op": "random_crop", "args": [64]}, {"op": "flip"},
             {"op": "randaug", "args": {"n": 2, "m": 9}},
             {"op": "normalize", "args": [0.48, 0.46, 0.41, 0.27, 0.26, 0.28]}]
            """);
        Assert.Equal(fromString.Spec, fromJson.Spec);
        Assert.Equal(fromString.Run(Source, new Random(4)), fromJson.Run(Source, new Random(4)));
        Assert.Throws<ArgumentException>(() => ImagePipeline.FromJson("{\"op\": \"flip\"}"));
        Assert.Throws<ArgumentException>(() => ImagePipeline.FromJson("[{\"op\": \"flip\", \"args\": [\"x\"]}]"));
    }

    [Fact]
    public void PresetsProduceSquareOutputsInThePaperRange()
    {
        Assert.Equal(["eval", "train", "none", "crop-flip", "randaug", "stacked-randaug", "simclr"], ImagePipelinePresets.Names);
        foreach (string name in ImagePipelinePresets.Names)
        {
            var p = ImagePipelinePresets.Get(name, 64);
            Assert.Equal(64, p.OutputSize);
            var x = p.Run(Source, new Random(9));
            Assert.Equal(3 * 64 * 64, x.Length);
            Assert.All(x, v => Assert.InRange(v, -1f, 1f));
            Assert.Equal(x, p.Run(Source, new Random(9)));
        }
        Assert.Equal("resize_center_crop(64, 0.875) | value_range(-1, 1)", ImagePipelinePresets.Get("eval", 64).Spec);
        var e = Assert.Throws<ArgumentException>(() => ImagePipelinePresets.Get("autoaugment", 64));
        Assert.Contains("stacked-randaug", e.Message);
        Assert.Contains("simclr", e.Message);
    }

    [Fact]
    public void EvalAndTrainPresetsAreDeterministicWithoutSeeds()
    {
        foreach (string name in new[] { "eval", "train" })
        {
            var p = ImagePipelinePresets.Get(name, 48);
            Assert.Equal(p.Run(Source, new Random(1)), p.Run(Source, new Random(2)));
        }
    }

    [Fact]
    public void SimClrViewsDifferButAreReproducible()
    {
        var views = new SimClrViews(32);
        var (a, b) = views.Create(Source, new Random(21));
        Assert.NotEqual(a, b);
        var (a2, b2) = views.Create(Source, new Random(21));
        Assert.Equal(a, a2);
        Assert.Equal(b, b2);
    }

    [Fact]
    public void RunIntoBatchSlotAndParallelUseMatchSerial()
    {
        var p = ImagePipelinePresets.Get("randaug", 32);
        var serial = Enumerable.Range(0, 16).Select(i => p.Run(Source, new Random(i))).ToArray();
        var batch = new float[16 * p.OutputLength];
        Parallel.For(0, 16, i => p.Run(Source, new Random(i), batch.AsSpan(i * p.OutputLength, p.OutputLength)));
        for (int i = 0; i < 16; i++) Assert.Equal(serial[i], batch.AsSpan(i * p.OutputLength, p.OutputLength).ToArray());
        Assert.Throws<ArgumentException>(() => p.Run(Source, new Random(0), new float[10]));
    }

    [Fact]
    public void DecodeThenPipelineEndToEnd()
    {
        var jpeg = ImageEncoder.EncodeJpeg(TestImages.Gradient(256, 200));
        var p = ImagePipelinePresets.Get("crop-flip", 64);
        var x = p.Run(ImageDecoder.Decode(jpeg, minOutputSide: 64), new Random(3));
        Assert.Equal(3 * 64 * 64, x.Length);
    }
}
