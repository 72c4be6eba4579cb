using System.Text.Json;

namespace ClipLab.Studies.Reporting;

/// <summary>
/// Study results kept as JSON lines: <c>results.jsonl</c> in the study folder, one <see cref="StudyRunRecord"/>
/// per line (camelCase property names). A plain-text exchange format next to the results database, and what
/// the report tests write by hand.
/// </summary>
public sealed class JsonLinesStudyResults : IStudyResults
{
    /// <summary>The file name inside a study folder.</summary>
    public const string FileName = "results.jsonl";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <inheritdoc />
    public IReadOnlyList<StudyRunRecord> Load(string studyDirectory)
    {
        string path = Path.Combine(studyDirectory, FileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} does not exist: {studyDirectory} holds no study results (run the study first, or point at its output folder).", path);
        var records = new List<StudyRunRecord>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            StudyRunRecord? record;
            try { record = JsonSerializer.Deserialize<StudyRunRecord>(line, Options); }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{path}, line {lineNumber}: not a study run record ({ex.Message.Split('\n')[0]}). Remove or repair the line.");
            }
            if (record is null || record.Study is null || record.RunId is null || record.Axes is null || record.Metrics is null)
                throw new InvalidDataException($"{path}, line {lineNumber}: a study run record needs study, runId, axes and metrics. Remove or repair the line.");
            records.Add(record);
        }
        return records;
    }

    /// <summary>One record as its line (no line break).</summary>
    public static string ToLine(StudyRunRecord record) => JsonSerializer.Serialize(record, Options);

    /// <summary>Writes <paramref name="records"/> as the <c>results.jsonl</c> of <paramref name="studyDirectory"/>, replacing it.</summary>
    public static void Write(string studyDirectory, IEnumerable<StudyRunRecord> records)
    {
        Directory.CreateDirectory(studyDirectory);
        File.WriteAllLines(Path.Combine(studyDirectory, FileName), records.Select(ToLine));
    }
}
