namespace ClipLab.Corpus;

/// <summary>The importers of corpora that Debian packages provide, by the name <c>cliplab data import NAME</c> takes.</summary>
public static class ImporterCatalog
{
    private static readonly Dictionary<string, (string Package, Func<ISampleImporter> Create)> Entries = new()
    {
        ["openclipart"] = ("openclipart-png + openclipart-svg", () => new OpenClipartImporter()),
        ["tuxpaint"] = ("tuxpaint-stamps-default", () => new TuxpaintImporter()),
        ["emoji"] = ("fonts-noto-color-emoji + unicode-data", () => new EmojiImporter()),
        ["fashion-mnist"] = ("dataset-fashion-mnist (train + test)", () => new FashionMnistImporter()),
    };

    /// <summary>Importer names.</summary>
    public static IReadOnlyList<string> Names => Entries.Keys.ToList();

    /// <summary>The Debian package(s) an importer reads.</summary>
    public static string PackageOf(string name) => Lookup(name).Package;

    /// <summary>Creates the importer <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">Unknown name; the message lists the valid ones.</exception>
    public static ISampleImporter Create(string name) => Lookup(name).Create();

    private static (string Package, Func<ISampleImporter> Create) Lookup(string name) =>
        Entries.TryGetValue(name, out var entry)
            ? entry
            : throw new KeyNotFoundException($"unknown importer '{name}'. Valid importers: {string.Join(", ", Entries.Keys)}");
}
