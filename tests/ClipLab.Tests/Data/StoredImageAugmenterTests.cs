using ClipLab.Data;
using ClipLab.Imaging;
using ClipLab.Imaging.Pipeline;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ClipLab.Tests.Data;

public class StoredImageAugmenterTests
{
    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static Tensor GrayImages(int n)
    {
        torch.manual_seed(91);
        return torch.randint(0, 256, [n, 1, 16, 16], dtype: ScalarType.Byte);
    }

    [Fact]
    public void ViewsAreAPureFunctionOfSeedAndPosition()
    {
        using var scope = torch.NewDisposeScope();
        var pixels = GrayImages(4);
        var augmenter = new StoredImageAugmenter(ImagePipelinePresets.Get("crop-flip", 16), [ImagePipelinePresets.Get("simclr", 16)], seed: 3);
        var a = augmenter.Views(pixels, [0, 1, 2, 3], channels: 3);
        var b = augmenter.Views(pixels, [0, 1, 2, 3], channels: 3);
        Assert.Equal(2, a.Length);
        Assert.Equal(new long[] { 4, 3, 16, 16 }, a[0].shape);
        Assert.True(Same(a[0], b[0]) && Same(a[1], b[1]));
        // Another position (a later visit of the same images) augments differently; values stay in [-1, 1].
        var later = augmenter.Views(pixels, [64, 65, 66, 67], channels: 3);
        Assert.False(Same(a[0], later[0]));
        Assert.True(a[1].min().item<float>() >= -1 && a[1].max().item<float>() <= 1);
    }

    [Fact]
    public void WithoutAMainPipelineTheImageViewIsTheStoredImage()
    {
        using var scope = torch.NewDisposeScope();
        var pixels = GrayImages(3);
        var augmenter = new StoredImageAugmenter(null, [ImagePipelinePresets.Get("simclr", 16), ImagePipelinePresets.Get("simclr", 16)], seed: 0);
        var views = augmenter.Views(pixels, [10, 11, 12], channels: 1);
        Assert.Equal(3, views.Length);
        Assert.True(Same(views[0], ImageTensors.ToSignedUnitRange(pixels, 1)));
        Assert.Equal(new long[] { 3, 1, 16, 16 }, views[1].shape);
        // The two SimCLR views of one image differ (they draw one after the other from its stream).
        Assert.False(Same(views[1], views[2]));
    }
}
