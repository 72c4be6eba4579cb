namespace ClipLab.Evaluation.Benchmarks.Standard;

/// <summary>
/// CIFAR-10 and CIFAR-100 in their binary distributions: <c>cifar-10-batches-bin/</c> with
/// <c>data_batch_1.bin … data_batch_5.bin</c>, <c>test_batch.bin</c> and <c>batches.meta.txt</c> (records of 1 label
/// byte + 3,072 pixel bytes), and <c>cifar-100-binary/</c> with <c>train.bin</c>, <c>test.bin</c> and
/// <c>fine_label_names.txt</c> (records of a coarse and a fine label byte + 3,072 pixel bytes; the fine label is
/// used). Pixels are 32×32 planes, red, green, blue. Class names come from the meta file, '_' read as a space.
/// </summary>
public static class CifarBinary
{
    private const int Side = 32, PixelBytes = 3 * Side * Side;

    /// <summary>Class names and the test and training images of the CIFAR folder (<paramref name="classes"/> 10 or 100).</summary>
    /// <exception cref="InvalidDataException">A file is missing, or its length is not a whole number of records, or a label is out of range.</exception>
    public static (string[] ClassNames, List<(EvaluationImage Image, int Label)> Test, List<(EvaluationImage Image, int Label)> Train) Read(string folder, int classes)
    {
        if (classes is not (10 or 100)) throw new ArgumentOutOfRangeException(nameof(classes), "CIFAR has 10 or 100 classes");
        string root = Path.GetFullPath(folder);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"CIFAR-{classes} folder not found: {root}");
        bool ten = classes == 10;
        string namesFile = Path.Combine(root, ten ? "batches.meta.txt" : "fine_label_names.txt");
        if (!File.Exists(namesFile)) throw new InvalidDataException($"{namesFile} not found: pass the {(ten ? "cifar-10-batches-bin" : "cifar-100-binary")} folder of the binary version");
        var names = File.ReadAllLines(namesFile).Select(l => l.Trim()).Where(l => l.Length > 0).Select(l => l.Replace('_', ' ')).ToArray();
        if (names.Length != classes) throw new InvalidDataException($"{namesFile} lists {names.Length} class names, expected {classes}");
        string[] trainFiles = ten ? Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").ToArray() : ["train.bin"];
        string testFile = ten ? "test_batch.bin" : "test.bin";
        return (names, Records(Path.Combine(root, testFile), classes), trainFiles.SelectMany(f => Records(Path.Combine(root, f), classes)).ToList());
    }

    private static List<(EvaluationImage, int)> Records(string path, int classes)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"CIFAR file not found: {path}");
        int labelBytes = classes == 10 ? 1 : 2, record = labelBytes + PixelBytes;
        long length = new FileInfo(path).Length;
        if (length == 0 || length % record != 0) throw new InvalidDataException($"{path}: {length} bytes is not a whole number of {record}-byte CIFAR-{classes} records");
        // Labels are read now; pixels when the batch is decoded, from one copy of the file shared by its images.
        var bytes = new Lazy<byte[]>(() => File.ReadAllBytes(path), LazyThreadSafetyMode.ExecutionAndPublication);
        var list = new List<(EvaluationImage, int)>();
        using var stream = File.OpenRead(path);
        var buffer = new byte[record];
        for (int i = 0; i < length / record; i++)
        {
            stream.ReadExactly(buffer);
            int label = buffer[labelBytes - 1];
            if (label >= classes) throw new InvalidDataException($"{path}: record {i} has label {label}, outside 0..{classes - 1}");
            long offset = (long)i * record + labelBytes;
            list.Add((new EvaluationImage($"{path} record {i}", () => Interleave(bytes.Value, offset)) { RawPixels = (Side, Side) }, label));
        }
        return list;
    }

    /// <summary>CIFAR's three colour planes as interleaved RGB.</summary>
    private static byte[] Interleave(byte[] file, long offset)
    {
        const int plane = Side * Side;
        var rgb = new byte[PixelBytes];
        for (int p = 0; p < plane; p++)
        {
            rgb[3 * p] = file[offset + p];
            rgb[3 * p + 1] = file[offset + plane + p];
            rgb[3 * p + 2] = file[offset + 2 * plane + p];
        }
        return rgb;
    }
}
