using System.Text;

namespace ClipLab.Data.Sources;

/// <summary>
/// Minimal RFC 4180 reader for CSV/TSV: fields separated by a configurable character, optionally quoted with
/// <c>"</c>; quoted fields may contain separators, line breaks and doubled quotes (<c>""</c>). CRLF and LF both
/// end records; a UTF-8 byte-order mark is ignored. A quote inside an unquoted field is kept literally.
/// </summary>
public static class DelimitedTextReader
{
    /// <summary>One record and the 1-based line on which it starts.</summary>
    /// <param name="Line">Line number of the record's first character.</param>
    /// <param name="Fields">The fields, unquoted.</param>
    public sealed record Record(int Line, IReadOnlyList<string> Fields);

    /// <summary>Parses all records of <paramref name="text"/> (blank lines are skipped).</summary>
    /// <exception cref="FormatException">A quoted field is not closed; the message names the line.</exception>
    public static IReadOnlyList<Record> Parse(string text, char separator)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (separator is '"' or '\r' or '\n') throw new ArgumentException($"'{separator}' cannot be a separator", nameof(separator));
        var records = new List<Record>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        int line = 1, recordLine = 1;
        bool quoted = false, wasQuoted = false;
        while (i < text.Length)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                    quoted = false;
                    i++;
                    continue;
                }
                if (c == '\n') line++;
                field.Append(c);
                i++;
                continue;
            }
            if (c == '"' && field.Length == 0 && !wasQuoted) { quoted = wasQuoted = true; i++; continue; }
            if (c == separator) { EndField(); i++; continue; }
            if (c is '\r' or '\n')
            {
                EndRecord();
                i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                line++;
                recordLine = line;
                continue;
            }
            field.Append(c);
            i++;
        }
        if (quoted) throw new FormatException($"a quoted field starting on line {recordLine} is not closed");
        EndRecord();
        return records;

        void EndField()
        {
            fields.Add(field.ToString());
            field.Clear();
            wasQuoted = false;
        }

        void EndRecord()
        {
            bool blank = fields.Count == 0 && field.Length == 0 && !wasQuoted;
            EndField();
            if (!blank) records.Add(new Record(recordLine, fields.ToList()));
            fields.Clear();
        }
    }
}
