using System.Globalization;
using System.Text;
using ClipLab.IO;
using Parquet;
using Parquet.Schema;

namespace ClipLab.Studies;

/// <summary>
/// A study's results as one wide table, one row per run: the run's identity, one column per axis, the training figures,
/// then one column per metric (empty where a run lacks it). Written as CSV or Parquet by <c>cliplab study export</c>;
/// the resolved configs stay in the store (<c>runs.resolved_config</c>).
/// </summary>
public sealed class StudyTable
{
    private static readonly string[] FixedColumns =
        ["study", "scale", "run_id", "seed", "config_hash", "samples_seen", "unique_pairs", "epochs", "gflops_per_sample", "total_gflops", "wall_seconds", "device"];

    private StudyTable(IReadOnlyList<StudyRunRecord> rows, IReadOnlyList<string> axes, IReadOnlyList<string> metrics)
    {
        Rows = rows;
        AxisColumns = axes;
        MetricColumns = metrics;
    }

    /// <summary>The runs, by run id.</summary>
    public IReadOnlyList<StudyRunRecord> Rows { get; }

    /// <summary>Axis keys, in the order the runs list them.</summary>
    public IReadOnlyList<string> AxisColumns { get; }

    /// <summary>Metric names, sorted.</summary>
    public IReadOnlyList<string> MetricColumns { get; }

    /// <summary>Every column name, in order.</summary>
    public IReadOnlyList<string> Columns => FixedColumns.Concat(AxisColumns).Concat(MetricColumns).ToList();

    /// <summary>Builds the table of <paramref name="records"/>.</summary>
    public static StudyTable From(IReadOnlyList<StudyRunRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var rows = records.OrderBy(r => r.RunId, StringComparer.Ordinal).ToList();
        var axes = rows.SelectMany(r => r.Axes.Keys).Distinct(StringComparer.Ordinal).ToList();
        var metrics = rows.SelectMany(r => r.Metrics.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new StudyTable(rows, axes, metrics);
    }

    /// <summary>Writes the table as CSV (RFC 4180 quoting, invariant numbers), atomically.</summary>
    public void WriteCsv(string path)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join(',', Columns.Select(Quote)));
        foreach (var r in Rows)
        {
            var cells = new List<string>
            {
                r.Study, r.Scale, r.RunId, Number(r.Seed), r.ConfigHash, Number(r.SamplesSeen), Number(r.UniquePairs), Number(r.Epochs),
                Number(r.GflopsPerSample), Number(r.TotalGflops), Number(r.WallSeconds), r.Device,
            };
            cells.AddRange(AxisColumns.Select(a => r.Axes.TryGetValue(a, out var v) ? v : ""));
            cells.AddRange(MetricColumns.Select(m => r.Metrics.TryGetValue(m, out var v) ? Number(v) : ""));
            text.AppendLine(string.Join(',', cells.Select(Quote)));
        }
        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>Writes the table as Parquet (axes as strings, metrics as nullable doubles), atomically.</summary>
    public void WriteParquet(string path) => AtomicFile.Write(path, stream => WriteParquetAsync(stream).GetAwaiter().GetResult());

    private async Task WriteParquetAsync(Stream stream)
    {
        var text = new[] { "study", "scale", "run_id" }.Select(n => new DataField<string>(n)).ToList();
        var seed = new DataField<int>("seed");
        var hash = new DataField<string>("config_hash");
        var samples = new DataField<long>("samples_seen");
        var pairs = new DataField<long>("unique_pairs");
        var figures = new[] { "epochs", "gflops_per_sample", "total_gflops", "wall_seconds" }.Select(n => new DataField<double>(n)).ToList();
        var device = new DataField<string>("device");
        var axes = AxisColumns.Select(a => new DataField<string>(a)).ToList();
        var metrics = MetricColumns.Select(m => new DataField<double?>(m)).ToList();
        var fields = new List<Field>();
        fields.AddRange(text);
        fields.AddRange([seed, hash, samples, pairs]);
        fields.AddRange(figures);
        fields.Add(device);
        fields.AddRange(axes);
        fields.AddRange(metrics);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(text[0], Rows.Select(r => r.Study).ToArray());
        await group.WriteAsync(text[1], Rows.Select(r => r.Scale).ToArray());
        await group.WriteAsync(text[2], Rows.Select(r => r.RunId).ToArray());
        await group.WriteAsync<int>(seed, Rows.Select(r => r.Seed).ToArray());
        await group.WriteAsync(hash, Rows.Select(r => r.ConfigHash).ToArray());
        await group.WriteAsync<long>(samples, Rows.Select(r => r.SamplesSeen).ToArray());
        await group.WriteAsync<long>(pairs, Rows.Select(r => r.UniquePairs).ToArray());
        await group.WriteAsync<double>(figures[0], Rows.Select(r => r.Epochs).ToArray());
        await group.WriteAsync<double>(figures[1], Rows.Select(r => r.GflopsPerSample).ToArray());
        await group.WriteAsync<double>(figures[2], Rows.Select(r => r.TotalGflops).ToArray());
        await group.WriteAsync<double>(figures[3], Rows.Select(r => r.WallSeconds).ToArray());
        await group.WriteAsync(device, Rows.Select(r => r.Device).ToArray());
        for (int i = 0; i < axes.Count; i++)
            await group.WriteAsync(axes[i], Rows.Select(r => r.Axes.TryGetValue(AxisColumns[i], out var v) ? v : null).ToArray());
        for (int i = 0; i < metrics.Count; i++)
            await group.WriteAsync<double>(metrics[i], Rows.Select(r => r.Metrics.TryGetValue(MetricColumns[i], out var v) ? v : (double?)null).ToArray());
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
