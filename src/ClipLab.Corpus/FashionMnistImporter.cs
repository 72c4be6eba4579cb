using System.IO.Compression;
using ClipLab.Data;
using ClipLab.Data.Fashion;
using SkiaSharp;

namespace ClipLab.Corpus;

/// <summary>
/// Imports Fashion-MNIST (Debian's <c>dataset-fashion-mnist</c>) as 28×28 greyscale PNGs with captions from
/// <see cref="FashionMnistCaptions"/> (variant 0, the given seed, the image's index within its split).
/// </summary>
/// <remarks>
/// Pixels are stored as in the dataset: a light garment on a black background. Found items are the images of the
/// chosen splits (60,000 train, 10,000 test). Keys: <c>fashion-mnist-train-00042</c>.
/// JSON: <c>{"source":"fashion-mnist","label":9,"class":"Ankle boot","split":"train","index":42}</c>.
/// </remarks>
public sealed class FashionMnistImporter : ISampleImporter
{
    private readonly Lazy<long> _count;

    /// <summary>Creates the importer for <paramref name="splits"/> (default: train then test).</summary>
    /// <exception cref="FileNotFoundException">The package is not installed; the message names it and the fix.</exception>
    public FashionMnistImporter(IReadOnlyList<FashionMnistSplit>? splits = null, ulong seed = 0, string? root = null, string? vocabularyPath = null)
    {
        Root = root ?? FashionMnist.DefaultRoot;
        Splits = splits ?? [FashionMnistSplit.Train, FashionMnistSplit.Test];
        Seed = seed;
        VocabularyPath = vocabularyPath;
        foreach (var split in Splits)
        {
            MissingPackage.RequireFile(ImagesPath(split), "dataset-fashion-mnist", "Fashion-MNIST images");
            MissingPackage.RequireFile(LabelsPath(split), "dataset-fashion-mnist", "Fashion-MNIST labels");
        }
        _count = new Lazy<long>(() => Splits.Sum(s => (long)LabelCount(LabelsPath(s))));
    }

    /// <inheritdoc />
    public string Name => "fashion-mnist";

    /// <summary>Folder of the IDX files.</summary>
    public string Root { get; }

    /// <summary>Splits read, in order.</summary>
    public IReadOnlyList<FashionMnistSplit> Splits { get; }

    /// <summary>Caption seed.</summary>
    public ulong Seed { get; }

    /// <summary>Caption vocabulary (null: the shipped one).</summary>
    public string? VocabularyPath { get; }

    /// <summary>Images in the chosen splits, from the label files' headers.</summary>
    public long? ExpectedCount => _count.Value;

    /// <inheritdoc />
    public IEnumerable<RawSample> Read(BadSampleCounter bad, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(bad);
        var captions = FashionMnistCaptions.Load(VocabularyPath);
        foreach (var split in Splits)
        {
            // One split in memory at a time (47 MB for train); samples are produced lazily from it.
            var data = FashionMnist.Load(split, Root);
            for (int i = 0; i < data.Count; i++)
            {
                cancellation.ThrowIfCancellationRequested();
                bad.CountGood();
                yield return FashionMnistSample.Create(data, split, i, captions, Seed, $"{ImagesPath(split)}#{i}");
            }
        }
    }

    private string ImagesPath(FashionMnistSplit split) => Path.Combine(Root, $"{Prefix(split)}-images-idx3-ubyte.gz");

    private string LabelsPath(FashionMnistSplit split) => Path.Combine(Root, $"{Prefix(split)}-labels-idx1-ubyte.gz");

    private static string Prefix(FashionMnistSplit split) => split == FashionMnistSplit.Train ? "train" : "t10k";

    /// <summary>The item count in an IDX1 label file's header (magic 0x00000801, then the count).</summary>
    private static int LabelCount(string path)
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        Span<byte> header = stackalloc byte[8];
        gz.ReadExactly(header);
        return System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header[4..]);
    }
}
