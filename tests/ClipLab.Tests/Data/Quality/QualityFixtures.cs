using System.Text;
using ClipLab.Configuration;
using ClipLab.Data.WebDataset;
using ClipLab.Imaging;
using ClipLab.Models;
using ClipLab.Text;

namespace ClipLab.Tests.Data.Quality;

/// <summary>Real shards of small decodable images (plus a few bad samples) and a tiny scoring model.</summary>
internal static class QualityFixtures
{
    private static readonly string[] Colours = ["red", "green", "blue", "yellow", "purple", "orange", "black", "white"];

    /// <summary>
    /// Writes <paramref name="samples"/> samples in shards of <paramref name="perShard"/>: each a 24×24 PNG of a
    /// colour pattern with a caption, a json record and an extra <c>cls</c> member. With <paramref name="withBadSamples"/>,
    /// sample 3 is an undecodable PNG and sample 6 has a blank caption. Returns the shard pattern.
    /// </summary>
    public static string WriteShards(string folder, int samples, int perShard, bool withBadSamples = true)
    {
        using var writer = new ShardWriter(folder, "data", perShard);
        for (int i = 0; i < samples; i++)
        {
            byte[] image = withBadSamples && i == 3 ? CorruptPng(i) : ImageEncoder.EncodePng(Picture(i));
            string caption = withBadSamples && i == 6 ? "   " : $"a {Colours[i % Colours.Length]} square with {i % 5} stripes";
            writer.WriteMembers($"sample{i:D4}",
            [
                ("png", image),
                ("txt", Encoding.UTF8.GetBytes(caption)),
                ("json", Encoding.UTF8.GetBytes($"{{\"i\":{i}}}")),
                ("cls", Encoding.UTF8.GetBytes((i % 3).ToString())),
            ]);
        }
        return writer.Finish().Pattern;
    }

    /// <summary>Indices of the samples <see cref="WriteShards"/> makes bad.</summary>
    public static readonly int[] BadSamples = [3, 6];

    public static RgbImage Picture(int i)
    {
        var rng = new Random(i);
        var image = RgbImage.Filled(24, 24, new RgbColor((byte)(37 * i), (byte)(91 * i), (byte)(53 * i)));
        for (int y = 0; y < 24; y += 2 + i % 4)
            for (int x = 0; x < 24; x++)
                image.SetPixel(x, y, new RgbColor((byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256)));
        return image;
    }

    private static byte[] CorruptPng(int seed)
    {
        var bytes = new byte[120];
        new Random(seed).NextBytes(bytes);
        byte[] magic = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        magic.CopyTo(bytes, 0);
        return bytes;
    }

    /// <summary>A randomly initialised tiny CLIP model (16-pixel images) and the default tokenizer.</summary>
    public static (ClipModel Model, ClipTokenizer Tokenizer) TinyModel(int seed = 3)
    {
        var tokenizer = ClipTokenizer.LoadDefault();
        TorchSharp.torch.manual_seed(seed);
        var model = ModelRegistry.Create(new RunConfig { ModelConfig = TinyRuns.Model }.ResolveModel(tokenizer));
        return (model, tokenizer);
    }
}
