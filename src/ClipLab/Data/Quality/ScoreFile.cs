using Parquet;
using Parquet.Schema;
using ClipLab.IO;

namespace ClipLab.Data.Quality;

/// <summary>
/// A table of <see cref="ScoredPair"/>s stored as Parquet (columns <c>key</c>, <c>shard</c>, <c>score</c>,
/// <c>caption</c>), so pandas, polars or DuckDB read it as it is, plus string metadata in the file footer (what
/// made the scores). Row order is meaningful: it is the data's stored order, and it breaks ties when filtering.
/// </summary>
/// <remarks>
/// Reading also accepts files written by other tools: <c>score</c> may be float or double, nullable columns read
/// nulls as NaN or an empty string, and <c>caption</c> may be absent — so scores from an external model can be
/// filtered with <see cref="QualityFilter"/> too.
/// </remarks>
public sealed class ScoreFile
{
    /// <summary>Sample key column.</summary>
    public const string KeyColumn = "key";
    /// <summary>Shard path column.</summary>
    public const string ShardColumn = "shard";
    /// <summary>Score column.</summary>
    public const string ScoreColumn = "score";
    /// <summary>Caption column (optional when reading).</summary>
    public const string CaptionColumn = "caption";

    // Big enough that readers see few groups, small enough that one group's columns stay a modest allocation.
    private const int RowGroupSize = 262_144;

    /// <summary>Creates a table of <paramref name="pairs"/> with footer <paramref name="metadata"/>.</summary>
    public ScoreFile(IReadOnlyList<ScoredPair> pairs, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        Pairs = pairs;
        Metadata = metadata ?? new Dictionary<string, string>();
    }

    /// <summary>The rows, in file order.</summary>
    public IReadOnlyList<ScoredPair> Pairs { get; }

    /// <summary>Key–value metadata of the file footer.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Writes the table to <paramref name="path"/> atomically (readers see the old file or the whole new one).</summary>
    /// <exception cref="IOException">Writing failed; an existing file is left as it was.</exception>
    public void Write(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var key = new DataField<string>(KeyColumn, nullable: false);
        var shard = new DataField<string>(ShardColumn, nullable: false);
        var score = new DataField<float>(ScoreColumn);
        var caption = new DataField<string>(CaptionColumn, nullable: false);
        AtomicFile.Write(path, stream => WriteAsync(stream, new ParquetSchema(key, shard, score, caption), key, shard, score, caption).GetAwaiter().GetResult());
    }

    private async Task WriteAsync(Stream stream, ParquetSchema schema, DataField<string> key, DataField<string> shard, DataField<float> score,
        DataField<string> caption)
    {
        await using var writer = await ParquetWriter.CreateAsync(schema, stream);
        writer.CustomMetadata = Metadata.ToDictionary();
        // A file needs at least one row group, even an empty one, for readers to see the schema's columns.
        for (int start = 0; start == 0 || start < Pairs.Count; start += RowGroupSize)
        {
            var rows = Pairs.Skip(start).Take(RowGroupSize).ToArray();
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(key, rows.Select(p => p.Key).ToArray());
            await group.WriteAsync(shard, rows.Select(p => p.Shard).ToArray());
            await group.WriteAsync<float>(score, rows.Select(p => p.Score).ToArray());
            await group.WriteAsync(caption, rows.Select(p => p.Caption).ToArray());
        }
    }

    /// <summary>Reads a score file.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not Parquet, or lacks the <c>key</c>, <c>shard</c> or <c>score</c> column; the message names the file and its columns.</exception>
    public static ScoreFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"score file {path} does not exist: write one with `cliplab data score --model RUN --data SHARDS --out {path}`", path);
        try
        {
            return ReadAsync(path).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is not (InvalidDataException or OutOfMemoryException))
        {
            // Parquet.Net reports malformed files with IOException or its own types; callers handle one kind.
            throw new InvalidDataException($"{path} is not a readable Parquet score file: {ex.Message}", ex);
        }
    }

    private static async Task<ScoreFile> ReadAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        var fields = reader.Schema.DataFields;
        DataField Find(string name, bool required) => fields.FirstOrDefault(f => f.Name == name) ?? (required
            ? throw new InvalidDataException($"{path} has no '{name}' column; a score file needs '{KeyColumn}', '{ShardColumn}' and '{ScoreColumn}' " +
                $"(and optionally '{CaptionColumn}'); this one has: {string.Join(", ", fields.Select(f => $"'{f.Name}'"))}")
            : null!);
        DataField key = Find(KeyColumn, true), shard = Find(ShardColumn, true), score = Find(ScoreColumn, true);
        DataField? caption = Find(CaptionColumn, false);
        if (score.ClrType != typeof(float) && score.ClrType != typeof(double))
            throw new InvalidDataException($"{path}: column '{ScoreColumn}' holds {score.ClrType.Name}, expected float or double numbers");

        var pairs = new List<ScoredPair>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            var group = reader.OpenRowGroupReader(g);
            int rows = checked((int)group.RowCount);
            var keys = await ReadStrings(group, key, rows);
            var shards = await ReadStrings(group, shard, rows);
            var captions = caption is null ? new string?[rows] : await ReadStrings(group, caption, rows);
            var scores = await ReadScores(group, score, rows);
            for (int i = 0; i < rows; i++) pairs.Add(new ScoredPair(keys[i] ?? "", shards[i] ?? "", scores[i], captions[i] ?? ""));
        }
        return new ScoreFile(pairs, reader.CustomMetadata?.ToDictionary() ?? new Dictionary<string, string>());
    }

    private static async Task<string?[]> ReadStrings(ParquetRowGroupReader group, DataField field, int rows)
    {
        // The reader's schema types text as ReadOnlyMemory<char>; both read into strings.
        if (field.ClrType != typeof(string) && field.ClrType != typeof(ReadOnlyMemory<char>)) throw new InvalidDataException($"column '{field.Name}' holds {field.ClrType.Name}, expected text");
        var values = new string?[rows];
        await group.ReadAsync(field, values.AsMemory());
        return values;
    }

    private static async Task<float[]> ReadScores(ParquetRowGroupReader group, DataField field, int rows)
    {
        if (field.ClrType == typeof(float))
        {
            if (!field.IsNullable)
            {
                var values = new float[rows];
                await group.ReadAsync<float>(field, values.AsMemory());
                return values;
            }
            var nullable = new float?[rows];
            await group.ReadAsync<float>(field, nullable.AsMemory());
            return nullable.Select(v => v ?? float.NaN).ToArray();
        }
        if (!field.IsNullable)
        {
            var values = new double[rows];
            await group.ReadAsync<double>(field, values.AsMemory());
            return values.Select(v => (float)v).ToArray();
        }
        var doubles = new double?[rows];
        await group.ReadAsync<double>(field, doubles.AsMemory());
        return doubles.Select(v => v is { } d ? (float)d : float.NaN).ToArray();
    }
}
