using ClipLab.Imaging;
using ClipLab.Interop.Onnx;
using ClipLab.Models;
using ClipLab.Text;
using TorchSharp;
using TorchSharp.Modules;

namespace ClipLab.Tests.Interop;

/// <summary>Tiny models of every exported family, with weights and BatchNorm statistics far from their defaults.</summary>
internal static class OnnxTestModels
{
    public static ClipTokenizer Tokenizer { get; } = ClipTokenizer.LoadDefault(contextLength: 8);

    public static VisionTowerConfig Vision(string family) => family switch
    {
        "vit" => new VisionTransformerConfig { ImageSize = 16, PatchSize = 4, Width = 32, Depth = 2, Heads = 4, MlpRatio = 2.0 },
        "vit-mean" => new VisionTransformerConfig { ImageSize = 16, PatchSize = 4, Width = 32, Depth = 2, Heads = 4, MlpRatio = 2.0, Pool = "mean" },
        "vit-gray" => new VisionTransformerConfig { ImageSize = 16, PatchSize = 8, Channels = 1, Width = 16, Depth = 1, Heads = 2 },
        "resnet" => new ResNetConfig { ImageSize = 32, Layers = [1, 1, 2, 1], WidthMultiplier = 0.125 },
        "modified-resnet" => new ModifiedResNetConfig { ImageSize = 32, Layers = [1, 1, 2, 1], WidthMultiplier = 0.125, HeadWidth = 32 },
        "convnext" => new ConvNextConfig { ImageSize = 16, PatchSize = 2, Depths = [1, 2], Dims = [8, 16], KernelSize = 3, LayerScaleInit = 0.5 },
        "mixer" => new MlpMixerConfig { ImageSize = 16, PatchSize = 4, Width = 16, Depth = 2, TokenMlpDim = 8, ChannelMlpDim = 32 },
        "swin" => new SwinTransformerConfig { ImageSize = 16, PatchSize = 2, EmbedDim = 8, Depths = [2, 2], Heads = [1, 2], WindowSize = 4, MlpRatio = 2.0 },
        _ => throw new ArgumentException(family),
    };

    /// <summary>A CLIP model with the <paramref name="family"/> image tower and a text tower sized for the shipped tokenizer.</summary>
    public static ClipModel Clip(string family, double? logitBias = null)
    {
        torch.manual_seed(11);
        var tokenizer = Tokenizer;
        var model = new ClipModel(new ClipModelConfig
        {
            Vision = Vision(family),
            Text = new TextTransformerConfig
            {
                VocabSize = tokenizer.VocabSize, ContextLength = tokenizer.ContextLength, EndOfTextId = tokenizer.EndOfTextId, PadId = tokenizer.PadId,
                Width = 32, Depth = 2, Heads = 4, MlpRatio = 2.0,
            },
            EmbedDim = 24,
            InitLogitBias = logitBias,
        });
        Perturb(model);
        model.eval();
        return model;
    }

    /// <summary>Exports <paramref name="model"/> into a fresh temporary folder.</summary>
    public static string Export(ClipModel model, string name = "tiny")
    {
        string folder = Path.Combine(TinyRuns.TempDirectory(), "onnx");
        OnnxExport.Write(model, Tokenizer, folder, name);
        return folder;
    }

    /// <summary>Writes <paramref name="count"/> small PNG and JPEG images of different colours and sizes into a fresh folder.</summary>
    public static string ImageFolder(int count = 5)
    {
        string folder = Path.Combine(TinyRuns.TempDirectory(), "images");
        Directory.CreateDirectory(Path.Combine(folder, "nested"));
        for (int i = 0; i < count; i++)
        {
            var image = new RgbImage(20 + 3 * i, 18 + i);
            for (int y = 0; y < image.Height; y++)
                for (int x = 0; x < image.Width; x++)
                    image.SetPixel(x, y, new RgbColor((byte)(40 * i + 5 * x), (byte)(200 - 9 * y), (byte)(30 * i)));
            var (name, bytes) = i % 2 == 0 ? ($"img{i}.png", ImageEncoder.EncodePng(image)) : ($"nested/img{i}.jpg", ImageEncoder.EncodeJpeg(image));
            File.WriteAllBytes(Path.Combine(folder, name), bytes);
        }

        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not an image");
        return folder;
    }

    // Fresh BatchNorm layers are identities (mean 0, var 1) and ConvNeXt's layer scale is tiny; moved weights and statistics
    // make the comparison see every term of the arithmetic.
    private static void Perturb(ClipModel model)
    {
        using var noGrad = torch.no_grad();
        foreach (var norm in model.modules().OfType<ChannelBatchNorm>())
        {
            norm.weight!.uniform_(0.5, 1.5);
            norm.bias!.normal_(0, 0.2);
            norm.running_mean!.normal_(0, 0.2);
            norm.running_var!.uniform_(0.5, 1.5);
        }

        foreach (var norm in model.modules().OfType<LayerNorm>())
        {
            norm.weight!.uniform_(0.5, 1.5);
            norm.bias!.normal_(0, 0.1);
        }
    }
}
