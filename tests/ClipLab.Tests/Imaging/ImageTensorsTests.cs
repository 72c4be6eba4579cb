using ClipLab.Imaging;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ClipLab.Tests.Imaging;

public class ImageTensorsTests
{
    [Fact]
    public void ResizeKeepsUint8AndConstantImages()
    {
        using var images = torch.full(new long[] { 3, 1, 28, 28 }, 200, ScalarType.Byte);
        using var resized = ImageTensors.Resize(images, 32, chunk: 2);
        Assert.Equal(new long[] { 3, 1, 32, 32 }, resized.shape);
        Assert.Equal(ScalarType.Byte, resized.dtype);
        Assert.True(resized.eq(200).all().ToBoolean());
    }

    [Fact]
    public void ValueRangeIsMinusOneToOneAndChannelsAreRepeated()
    {
        using var pixels = torch.tensor(new byte[] { 0, 255, 0, 255 }, ScalarType.Byte).reshape(1, 1, 2, 2);
        using var x = ImageTensors.ToSignedUnitRange(pixels, 3);
        Assert.Equal(new long[] { 1, 3, 2, 2 }, x.shape);
        Assert.Equal(-1f, x.min().ToSingle());
        Assert.Equal(1f, x.max().ToSingle());
        Assert.True(x[0, 0].eq(x[0, 2]).all().ToBoolean());
    }
}
