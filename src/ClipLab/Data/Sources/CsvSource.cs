namespace ClipLab.Data.Sources;

/// <summary>
/// Image–text samples listed in a CSV/TSV table (open_clip's <c>CsvDataset</c>): one row per sample, an image
/// path column and a caption column. The table is parsed when the source is created.
/// </summary>
/// <remarks>
/// Partitioning: after the optional per-epoch row shuffle (same order in every process), row position
/// <c>i</c> belongs to slice <c>i % partition.Slices</c>. Sample keys are the 0-based row index, nine digits.
/// Counted and skipped: blank caption → <see cref="SkipReason.EmptyCaption"/>; missing or unreadable image
/// file → <see cref="SkipReason.UnreadableFile"/>; file that is no known image format →
/// <see cref="SkipReason.NotAnImage"/>. Good samples are counted by the loader, not here.
/// </remarks>
public sealed class CsvSource : IKeyListingSource, IKeyFilteredSource
{
    private const long RowOrderStream = 0x524F_5753; // "ROWS"
    private readonly Row[] _rows;
    private readonly string _folder;

    private readonly record struct Row(int Line, string ImagePath, string Caption);

    /// <summary>Reads and parses the table.</summary>
    /// <exception cref="InvalidDataException">The header lacks a named column (the message lists the header's columns) or the file is empty.</exception>
    /// <exception cref="FormatException">A quoted field is not closed.</exception>
    public CsvSource(CsvSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        string path = Path.GetFullPath(options.Path);
        _folder = Path.GetDirectoryName(path)!;
        var records = DelimitedTextReader.Parse(File.ReadAllText(path), options.Separator);
        if (records.Count == 0) throw new InvalidDataException($"{options.Path} is empty: expected a header with columns '{options.ImageColumn}' and '{options.CaptionColumn}'");
        var header = records[0].Fields.Select(f => f.Trim()).ToList();
        int image = header.IndexOf(options.ImageColumn), caption = header.IndexOf(options.CaptionColumn);
        if (image < 0 || caption < 0)
        {
            string missing = string.Join(" and ", new[] { image < 0 ? options.ImageColumn : null, caption < 0 ? options.CaptionColumn : null }.OfType<string>().Select(c => $"'{c}'"));
            string separator = options.Separator == '\t' ? "tab" : $"'{options.Separator}'";
            throw new InvalidDataException($"{options.Path} has no column {missing}; its header (split at {separator}) has: {string.Join(", ", header.Select(h => $"'{h}'"))}");
        }
        // Short rows read their missing fields as empty, so they are counted as bad samples, not thrown.
        _rows = records.Skip(1)
            .Select(r => new Row(r.Line, image < r.Fields.Count ? r.Fields[image] : "", caption < r.Fields.Count ? r.Fields[caption] : ""))
            .ToArray();
    }

    /// <summary>The options this source was made with.</summary>
    public CsvSourceOptions Options { get; }

    /// <inheritdoc />
    public string Name => Options.Path;

    /// <summary>Rows in the table (some may turn out bad while reading).</summary>
    public long? Count => _rows.Length;

    /// <summary>Every row's sample key (its 0-based index, nine digits), rows that will read as bad included.</summary>
    public IEnumerable<string> Keys() => Enumerable.Range(0, _rows.Length).Select(KeyOf);

    /// <inheritdoc />
    public IEnumerable<RawSample> Read(SourcePartition partition, int epoch, ulong seed, BadSampleCounter bad, CancellationToken cancellation = default) =>
        Read(partition, epoch, seed, bad, SampleKeyFilter.All, cancellation);

    /// <inheritdoc />
    public IEnumerable<RawSample> Read(SourcePartition partition, int epoch, ulong seed, BadSampleCounter bad, SampleKeyFilter filter,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(bad);
        ArgumentNullException.ThrowIfNull(filter);
        if (partition.Slices < 1 || partition.Slice < 0 || partition.Slice >= partition.Slices)
            throw new ArgumentOutOfRangeException(nameof(partition), $"invalid partition {partition}");
        return Iterate(partition, epoch, seed, bad, filter, cancellation);
    }

    private IEnumerable<RawSample> Iterate(SourcePartition partition, int epoch, ulong seed, BadSampleCounter bad, SampleKeyFilter filter,
        CancellationToken cancellation)
    {
        int[] order = Enumerable.Range(0, _rows.Length).ToArray();
        if (Options.Shuffle) SeedMixer.Random(seed, epoch, RowOrderStream).Shuffle(order);
        for (int position = partition.Slice; position < order.Length; position += partition.Slices)
        {
            cancellation.ThrowIfCancellationRequested();
            int index = order[position];
            // Rows left out are not opened, so their files are neither read nor counted as bad.
            if (!filter.Keeps(KeyOf(index))) continue;
            if (ToSample(index, bad) is { } sample) yield return sample;
        }
    }

    private static string KeyOf(int index) => index.ToString("D9", System.Globalization.CultureInfo.InvariantCulture);

    private RawSample? ToSample(int index, BadSampleCounter bad)
    {
        Row row = _rows[index];
        string origin = $"{Options.Path}:{row.Line}";
        string caption = row.Caption.Trim();
        if (caption.Length == 0)
        {
            bad.CountBad(SkipReason.EmptyCaption, origin);
            return null;
        }
        string relative = row.ImagePath.Trim();
        byte[] image;
        string file = relative;
        try
        {
            if (relative.Length == 0) throw new FileNotFoundException("empty image path");
            file = Path.GetFullPath(Path.Combine(_folder, relative));
            image = File.ReadAllBytes(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            bad.CountBad(SkipReason.UnreadableFile, $"{origin} ({file}: {ex.Message})");
            return null;
        }
        string claimed = Path.GetExtension(file).TrimStart('.').ToLowerInvariant();
        string? format = ImageSignature.IsImageExtension(claimed) ? ImageSignature.Resolve(claimed, image) : ImageSignature.Detect(image);
        if (format is null)
        {
            bad.CountBad(SkipReason.NotAnImage, $"{origin} ({file})");
            return null;
        }
        return new RawSample(KeyOf(index), format, image, caption, null, $"{origin} ({relative})");
    }
}
