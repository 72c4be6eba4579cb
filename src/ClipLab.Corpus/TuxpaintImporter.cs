using ClipLab.Data;

namespace ClipLab.Corpus;

/// <summary>
/// Imports the stamps of Debian's <c>tuxpaint-stamps-default</c>: each PNG with the English first line of the
/// <c>.txt</c> beside it as caption (<see cref="TuxpaintDescription"/>), flattened onto white (stamps are
/// transparent cut-outs) and re-encoded as PNG.
/// </summary>
/// <remarks>
/// Found items are the PNG files except <c>*_mirror.png</c> — alternative renderings Tux Paint shows when a stamp is
/// mirrored, which share the stamp's description and would duplicate it. SVG-only stamps are not listed:
/// SkiaSharp has no SVG renderer. Skips: no <c>.txt</c> → <see cref="SkipReason.MissingCaption"/>; blank English
/// line → <see cref="SkipReason.EmptyCaption"/>; header larger than <see cref="MaxPixels"/> →
/// <see cref="SkipReason.ImageTooLarge"/>; undecodable → <see cref="SkipReason.CorruptImage"/>.
/// JSON: <c>{"source":"tuxpaint","category":"animals/birds","file":"animals/birds/robin.png","width","height"}</c>.
/// </remarks>
public sealed class TuxpaintImporter : ISampleImporter
{
    /// <summary>Where the package installs the stamps.</summary>
    public const string DefaultRoot = "/usr/share/tuxpaint/stamps";

    private const string MirrorSuffix = "_mirror.png";

    private readonly Lazy<List<string>> _files;

    /// <summary>Creates the importer over the stamps folder (default: the Debian path).</summary>
    /// <exception cref="DirectoryNotFoundException">The package is not installed; the message names it and the fix.</exception>
    public TuxpaintImporter(string? root = null, long maxPixels = 4096L * 4096, int maxSide = 1024)
    {
        Root = root ?? DefaultRoot;
        MissingPackage.RequireDirectory(Root, "tuxpaint-stamps-default", "Tux Paint stamps");
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPixels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSide, 1);
        MaxPixels = maxPixels;
        MaxSide = maxSide;
        _files = new Lazy<List<string>>(() => PackageFiles.List(Root, ".png")
            .Where(f => !f.EndsWith(MirrorSuffix, StringComparison.OrdinalIgnoreCase)).ToList());
    }

    /// <inheritdoc />
    public string Name => "tuxpaint";

    /// <summary>The stamps folder.</summary>
    public string Root { get; }

    /// <summary>Largest width × height decoded.</summary>
    public long MaxPixels { get; }

    /// <summary>Longest side stored; larger stamps are shrunk to it.</summary>
    public int MaxSide { get; }

    /// <summary>The PNG stamps, without mirror variants.</summary>
    public long? ExpectedCount => _files.Value.Count;

    /// <inheritdoc />
    public IEnumerable<RawSample> Read(BadSampleCounter bad, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(bad);
        foreach (string file in _files.Value)
        {
            cancellation.ThrowIfCancellationRequested();
            var sample = Import(file, bad);
            if (sample is null) continue;
            bad.CountGood();
            yield return sample;
        }
    }

    private RawSample? Import(string file, BadSampleCounter bad)
    {
        string path = Path.Combine(Root, file);
        string descriptionPath = Path.ChangeExtension(path, ".txt");
        string caption;
        try
        {
            if (!File.Exists(descriptionPath))
            {
                bad.CountBad(SkipReason.MissingCaption, $"{path} (no {Path.GetFileName(descriptionPath)})");
                return null;
            }
            caption = TuxpaintDescription.ReadEnglish(descriptionPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            bad.CountBad(SkipReason.UnreadableFile, $"{descriptionPath}: {e.Message}");
            return null;
        }
        if (caption.Length == 0)
        {
            bad.CountBad(SkipReason.EmptyCaption, descriptionPath);
            return null;
        }
        if (PackagePng.Read(path, MaxPixels, bad) is not var (bytes, _)) return null;
        byte[]? png = WhiteBackground.FlattenToPng(bytes, MaxSide);
        if (png is null)
        {
            bad.CountBad(SkipReason.CorruptImage, path);
            return null;
        }
        var stored = PngHeader.TryRead(png)!;
        string category = Path.GetDirectoryName(file)?.Replace('\\', '/') ?? "";
        string json = SampleJson.Serialize(new { source = Name, category, file, width = stored.Width, height = stored.Height });
        return new RawSample(SampleKey.FromPath(Name, file), "png", png, caption, json, path);
    }
}
