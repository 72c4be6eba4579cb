namespace ClipLab.Data.Fashion;

/// <summary>Which Fashion-MNIST split to read.</summary>
public enum FashionMnistSplit
{
    /// <summary>The 60,000 training images.</summary>
    Train,
    /// <summary>The 10,000 test images.</summary>
    Test,
}

/// <summary>
/// Fashion-MNIST (Zalando product photos, 28×28 grayscale, 10 classes) read from the IDX files of
/// Debian's <c>dataset-fashion-mnist</c> package.
/// </summary>
/// <param name="Pixels">Row-major pixels, <see cref="Side"/>² bytes per image, 0 = background.</param>
/// <param name="Labels">Class index per image (0..9).</param>
public sealed record FashionMnist(byte[] Pixels, int[] Labels)
{
    /// <summary>Where Debian's package installs the files.</summary>
    public const string DefaultRoot = "/usr/share/datasets/fashion-mnist";

    /// <summary>Image side in pixels.</summary>
    public const int Side = 28;

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * Side * Side, Side * Side);

    /// <summary>Loads one split from <paramref name="root"/> (default: the Debian package's folder).</summary>
    /// <exception cref="FileNotFoundException">The package is not installed; the message says how to install it.</exception>
    public static FashionMnist Load(FashionMnistSplit split, string? root = null)
    {
        root ??= DefaultRoot;
        string prefix = split == FashionMnistSplit.Train ? "train" : "t10k";
        string imagesPath = Path.Combine(root, $"{prefix}-images-idx3-ubyte.gz");
        string labelsPath = Path.Combine(root, $"{prefix}-labels-idx1-ubyte.gz");
        foreach (var path in new[] { imagesPath, labelsPath })
        {
            if (!File.Exists(path))
                throw new FileNotFoundException(
                    $"Fashion-MNIST file {path} not found. Install Debian's package with `apt-get install dataset-fashion-mnist` " +
                    "(scripts/setup.sh does this), or set data.root to a folder holding the four IDX .gz files.", path);
        }
        var (imageShape, pixels) = IdxFile.ReadBytes(imagesPath);
        var (labelShape, labelBytes) = IdxFile.ReadBytes(labelsPath);
        if (imageShape.Length != 3 || imageShape[1] != Side || imageShape[2] != Side)
            throw new InvalidDataException($"{imagesPath} has shape [{string.Join(", ", imageShape)}]; expected [N, 28, 28].");
        if (labelShape.Length != 1 || labelShape[0] != imageShape[0])
            throw new InvalidDataException($"{labelsPath} holds {labelShape[0]} labels for {imageShape[0]} images.");
        var labels = new int[labelBytes.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = labelBytes[i];
            if (labels[i] > 9) throw new InvalidDataException($"{labelsPath}: label {labels[i]} at index {i} is outside 0..9.");
        }
        return new FashionMnist(pixels, labels);
    }
}
