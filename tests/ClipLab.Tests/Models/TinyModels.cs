using Xunit;
using ClipLab.Models;

namespace ClipLab.Tests.Models;

/// <summary>Small configurations that build and run in milliseconds.</summary>
internal static class TinyModels
{
    public const int EndOfText = 3;

    public static VisionTransformerConfig Vision(string pool = "token") => new()
    {
        ImageSize = 16, PatchSize = 4, Channels = 3, Width = 32, Depth = 2, Heads = 4, MlpRatio = 2.0, Pool = pool,
    };

    public static TextTransformerConfig Text() => new()
    {
        VocabSize = 40, ContextLength = 8, Width = 32, Depth = 2, Heads = 4, MlpRatio = 2.0, EndOfTextId = EndOfText, PadId = 0,
    };

    public static ClipModelConfig Clip(string pool = "token") => new() { Vision = Vision(pool), Text = Text(), EmbedDim = 24 };
}
