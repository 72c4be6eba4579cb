using System.Globalization;
using System.Text;
using System.Text.Json;
using TorchSharp;

namespace ClipLab.Training;

/// <summary>
/// A run's metrics: one JSON object per line in <c>metrics.jsonl</c> (easy to load with pandas or jq) and
/// the same scalars as TensorBoard event files under <c>tensorboard/</c>.
/// </summary>
public sealed class MetricsLog : IDisposable
{
    private readonly StreamWriter _jsonl;
    private readonly TorchSharp.Modules.SummaryWriter _tensorboard;

    /// <summary>Opens the log of <paramref name="runDirectory"/>; when resuming, lines and TensorBoard events after <paramref name="resumeStep"/> are dropped so no step is logged twice.</summary>
    public MetricsLog(string runDirectory, long? resumeStep = null)
    {
        Directory.CreateDirectory(runDirectory);
        JsonlPath = Path.Combine(runDirectory, "metrics.jsonl");
        string tensorboard = Path.Combine(runDirectory, "tensorboard");
        if (resumeStep is long step)
        {
            if (File.Exists(JsonlPath)) TruncateAfter(JsonlPath, step);
            // TensorBoard would show the dropped steps beside the resumed session's: cut its files back the same way.
            TensorBoardEvents.TruncateAfter(tensorboard, step);
        }
        _jsonl = new StreamWriter(new FileStream(JsonlPath, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
        _tensorboard = torch.utils.tensorboard.SummaryWriter(tensorboard, createRunName: false);
    }

    /// <summary>Path of the JSONL file.</summary>
    public string JsonlPath { get; }

    /// <summary>Appends one record at <paramref name="step"/>; numeric values also go to TensorBoard under <c>{prefix}/{key}</c>.</summary>
    public void Write(string prefix, long step, IReadOnlyDictionary<string, object> values)
    {
        var record = new Dictionary<string, object?> { ["kind"] = prefix, ["step"] = step };
        // JSON has no NaN or infinity: such values are written as null.
        foreach (var (key, value) in values) record[key] = TryNumber(value, out double n) && !double.IsFinite(n) ? null : value;
        _jsonl.WriteLine(JsonSerializer.Serialize(record));
        _jsonl.Flush();
        foreach (var (key, value) in values)
        {
            if (TryNumber(value, out double number) && double.IsFinite(number))
                _tensorboard.add_scalar($"{prefix}/{key}", (float)number, checked((int)step));
        }
    }

    private static bool TryNumber(object value, out double number)
    {
        switch (value)
        {
            case double d: number = d; return true;
            case float f: number = f; return true;
            case int i: number = i; return true;
            case long l: number = l; return true;
            default: number = 0; return false;
        }
    }

    private static void TruncateAfter(string path, long step)
    {
        var kept = File.ReadLines(path).Where(line =>
        {
            try
            {
                using var doc = JsonDocument.Parse(line);
                return doc.RootElement.TryGetProperty("step", out var s) && s.GetInt64() <= step;
            }
            catch (JsonException) { return false; } // a line torn by a kill is dropped
        }).ToList();
        IO.AtomicFile.WriteAllText(path, kept.Count == 0 ? "" : string.Join('\n', kept) + "\n");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // TorchSharp's SummaryWriter writes each event as it is added and holds no open handle to close.
        _jsonl.Dispose();
    }
}
