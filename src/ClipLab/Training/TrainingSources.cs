using ClipLab.Configuration;
using ClipLab.Data;
using ClipLab.Data.Fashion;
using ClipLab.Data.Sources;
using ClipLab.Data.WebDataset;

namespace ClipLab.Training;

/// <summary>Opens the streaming sources of <c>data.sources</c> for training, and checks beforehand that their files exist.</summary>
public static class TrainingSources
{
    /// <summary>Missing shards named in the error message; the rest are counted.</summary>
    private const int MissingShown = 3;

    /// <summary>
    /// Opens the configured sources with <paramref name="data"/>'s loader settings, mixed by weight when there are several,
    /// and draws <c>data.trainSubset</c> of them.
    /// </summary>
    public static ISampleSource Open(DataConfig data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var source = data.Sources.Count == 1
            ? Open(data.Sources[0], data)
            : new MixtureSource(data.Sources.Select(s => new WeightedSource(Open(s, data), s.Weight)).ToList());
        return data.TrainSubset is int n ? new SubsetSource(source, n, data.SubsetSeed) : source;
    }

    /// <summary>
    /// Checks that every file the sources name exists, so a missing one is reported with its key before a run starts (and
    /// before its folder exists) rather than showing as bad data mid-run.
    /// </summary>
    /// <exception cref="ConfigException">A shard pattern is malformed or names missing files, or a CSV file is missing.</exception>
    public static void CheckFiles(DataConfig data)
    {
        ArgumentNullException.ThrowIfNull(data);
        for (int i = 0; i < data.Sources.Count; i++)
        {
            string key = $"data.sources[{i}]";
            switch (data.Sources[i])
            {
                case WebDatasetSourceConfig webDataset:
                    CheckShards(webDataset.Shards, key);
                    break;
                case CsvSourceConfig csv when !File.Exists(csv.Path):
                    throw new ConfigException($"'{key}.path': CSV/TSV file not found: {Path.GetFullPath(csv.Path)}. Check the path (relative paths are taken from the working directory).");
            }
        }
    }

    private static void CheckShards(string pattern, string key)
    {
        IReadOnlyList<string> shards;
        try { shards = ShardPattern.Expand(pattern); }
        catch (FormatException ex) { throw new ConfigException($"invalid '{key}.shards': {ex.Message}", ex); }
        var missing = shards.Where(s => !File.Exists(s)).ToList();
        if (missing.Count > 0)
            throw new ConfigException($"'{key}.shards' names {missing.Count:N0} of {shards.Count:N0} shard file(s) that do not exist: " +
                $"{string.Join(", ", missing.Take(MissingShown).Select(Path.GetFullPath))}{(missing.Count > MissingShown ? ", ..." : "")} " +
                $"(from \"{pattern}\"). Check the folder and the brace range, or write the shards with `cliplab data shards`.");
    }

    private static ISampleSource Open(SourceConfig source, DataConfig data) => source switch
    {
        WebDatasetSourceConfig webDataset => new WebDatasetSource(new WebDatasetOptions(webDataset.Shards)
        {
            ShuffleShards = true,
            ShuffleBuffer = data.ShuffleBuffer,
            Resampled = data.Resampled,
            SamplesPerEpoch = data.SamplesPerEpoch,
        }),
        CsvSourceConfig csv => new CsvSource(new CsvSourceOptions(csv.Path)
        {
            ImageColumn = csv.ImageColumn,
            CaptionColumn = csv.CaptionColumn,
            Separator = csv.Separator[0],
            Shuffle = true,
        }),
        FashionMnistSourceConfig fashionMnist =>
            new FashionMnistSource(fashionMnist.Split == "test" ? FashionMnistSplit.Test : FashionMnistSplit.Train, data.Root, data.CaptionSeed),
        _ => throw new ArgumentException($"no opener for source {source.GetType().Name}", nameof(source)),
    };
}
