using System.Xml;
using ClipLab.Data;
namespace ClipLab.Corpus;

/// <summary>
/// Imports the PNG renderings of Debian's <c>openclipart-png</c> with captions from the metadata of the matching
/// SVG in <c>openclipart-svg</c> (same relative path, <c>.svg</c> instead of <c>.png</c>); see
/// <see cref="OpenClipartCaption"/> for the caption format.
/// </summary>
/// <remarks>
/// Found items are the regular PNG files (symbolic links, which file a picture under a second category, are not
/// listed). Skips: a PNG wider/taller than <see cref="MaxPixels"/> allows → <see cref="SkipReason.ImageTooLarge"/>
/// (checked from the header before decoding); undecodable → <see cref="SkipReason.CorruptImage"/>; not a PNG →
/// <see cref="SkipReason.NotAnImage"/>; no SVG → <see cref="SkipReason.MissingCaption"/>; nothing to say →
/// <see cref="SkipReason.EmptyCaption"/>. Opaque PNGs up to <see cref="MaxSide"/> are stored byte for byte; PNGs with
/// transparency are flattened onto white and larger ones shrunk to <see cref="MaxSide"/> (CLIP trains at ≤ 224 px,
/// so bigger pixels only bloat the shards) and re-encoded as PNG.
/// JSON: <c>{"source":"openclipart","file","title","titleFromFile","description","keywords":[...],"width","height"}</c>
/// (width/height of the stored image).
/// </remarks>
public sealed class OpenClipartImporter : ISampleImporter
{
    /// <summary>Where <c>openclipart-png</c> installs its images.</summary>
    public const string DefaultPngRoot = "/usr/share/openclipart/png";

    /// <summary>Where <c>openclipart-svg</c> installs the SVG sources with their metadata.</summary>
    public const string DefaultSvgRoot = "/usr/share/openclipart/svg";

    /// <summary>A title used by at least this many SVGs is a collection or author name, not a description.</summary>
    public const int GenericTitleMinFiles = 5;

    private readonly Lazy<List<string>> _files;

    /// <summary>Creates the importer over the package folders (defaults: the Debian paths).</summary>
    /// <exception cref="DirectoryNotFoundException">A package is not installed; the message names it and the fix.</exception>
    public OpenClipartImporter(string? pngRoot = null, string? svgRoot = null, long maxPixels = 4096L * 4096, int maxSide = 1024)
    {
        PngRoot = pngRoot ?? DefaultPngRoot;
        SvgRoot = svgRoot ?? DefaultSvgRoot;
        MissingPackage.RequireDirectory(PngRoot, "openclipart-png", "Open Clip Art PNG");
        MissingPackage.RequireDirectory(SvgRoot, "openclipart-svg", "Open Clip Art SVG");
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPixels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSide, 1);
        MaxPixels = maxPixels;
        MaxSide = maxSide;
        _files = new Lazy<List<string>>(() => PackageFiles.List(PngRoot, ".png"));
    }

    /// <inheritdoc />
    public string Name => "openclipart";

    /// <summary>Folder of the PNG images.</summary>
    public string PngRoot { get; }

    /// <summary>Folder of the SVG sources.</summary>
    public string SvgRoot { get; }

    /// <summary>Largest width × height decoded; larger images are skipped as too large (a 4096² RGBA bitmap is 64 MB).</summary>
    public long MaxPixels { get; }

    /// <summary>Longest side stored; larger images are shrunk to it.</summary>
    public int MaxSide { get; }

    /// <summary>The regular PNG files of the package.</summary>
    public long? ExpectedCount => _files.Value.Count;

    /// <inheritdoc />
    public IEnumerable<RawSample> Read(BadSampleCounter bad, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(bad);
        // First pass over the metadata only (small): titles shared by many files are generic.
        var metadata = new Dictionary<string, OpenClipartMetadata?>(StringComparer.Ordinal);
        foreach (string file in _files.Value)
        {
            cancellation.ThrowIfCancellationRequested();
            metadata[file] = ReadMetadata(file);
        }
        var genericTitles = metadata.Values.Where(m => m is { Title.Length: > 0 })
            .GroupBy(m => m!.Title, StringComparer.Ordinal)
            .Where(g => g.Count() >= GenericTitleMinFiles)
            .Select(g => g.Key)
            .ToHashSet(StringComparer.Ordinal);

        foreach (string file in _files.Value)
        {
            cancellation.ThrowIfCancellationRequested();
            var sample = Import(file, metadata[file], genericTitles, bad);
            if (sample is null) continue;
            bad.CountGood();
            yield return sample;
        }
    }

    private OpenClipartMetadata? ReadMetadata(string pngFile)
    {
        string svg = SvgPath(pngFile);
        if (!File.Exists(svg)) return null;
        try
        {
            return OpenClipartMetadata.Read(svg);
        }
        catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException)
        {
            return OpenClipartMetadata.Empty; // unreadable metadata: the caption falls back to the file name
        }
    }

    private string SvgPath(string pngFile) => Path.Combine(SvgRoot, Path.ChangeExtension(pngFile, ".svg"));

    private RawSample? Import(string file, OpenClipartMetadata? metadata, IReadOnlySet<string> genericTitles, BadSampleCounter bad)
    {
        string path = Path.Combine(PngRoot, file);
        if (metadata is null)
        {
            bad.CountBad(SkipReason.MissingCaption, $"{path} (no {SvgPath(file)})");
            return null;
        }
        var (caption, title, titleFromFile) = OpenClipartCaption.Build(metadata, file, genericTitles);
        if (caption.Length == 0)
        {
            bad.CountBad(SkipReason.EmptyCaption, path);
            return null;
        }

        if (PackagePng.Read(path, MaxPixels, bad) is not var (bytes, header)) return null;

        // Decode every image, also those stored as-is, so corrupt files are caught here and not in training.
        using var bitmap = WhiteBackground.Decode(bytes);
        if (bitmap is null)
        {
            bad.CountBad(SkipReason.CorruptImage, path);
            return null;
        }
        int width = bitmap.Width, height = bitmap.Height;
        if (header.HasTransparency || Math.Max(width, height) > MaxSide)
        {
            bytes = WhiteBackground.FlattenToPng(bitmap, MaxSide);
            double scale = Math.Min(1.0, MaxSide / (double)Math.Max(width, height));
            (width, height) = (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
        }

        string json = SampleJson.Serialize(new
        {
            source = Name,
            file,
            title,
            titleFromFile,
            description = metadata.Description,
            keywords = metadata.Keywords,
            width,
            height,
        });
        return new RawSample(SampleKey.FromPath(Name, file), "png", bytes, caption, json, path);
    }
}
