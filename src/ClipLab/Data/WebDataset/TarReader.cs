using System.Text;

namespace ClipLab.Data.WebDataset;

/// <summary>
/// Streams the regular files of a tar archive: POSIX ustar (name prefix), GNU tar (long names in <c>L</c>
/// entries, base-256 sizes) and PAX (<c>x</c> per-file and <c>g</c> global extended headers). Directories,
/// links and devices are skipped; header checksums are verified.
/// </summary>
/// <remarks>
/// A damaged archive does not throw: enumeration ends and <see cref="Problem"/> says what went wrong and
/// where (<see cref="Truncated"/> when the stream ended inside a header or a member, or before the
/// end-of-archive marker), so a caller can count
/// the shard as bad and move on. Entries already yielded stay valid. One pass only.
/// </remarks>
public sealed class TarReader : IDisposable
{
    private const int Block = 512;
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private long _offset;
    private bool _started;

    /// <summary>Reads from <paramref name="stream"/> (need not be seekable).</summary>
    public TarReader(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
    }

    /// <summary>True when the archive ended inside a header or a member's data (the rest of the archive is lost).</summary>
    public bool Truncated { get; private set; }

    /// <summary>Why enumeration stopped early (truncation, bad checksum, malformed header, I/O error), with the byte offset; null if the archive was read to its end.</summary>
    public string? Problem { get; private set; }

    /// <summary>True when the underlying stream threw an I/O error (the file is unreadable rather than malformed).</summary>
    public bool ReadFailed { get; private set; }

    /// <summary>Bytes read from the stream so far.</summary>
    public long BytesRead => _offset;

    /// <summary>Name of the member being read when the problem occurred, if known.</summary>
    public string? ProblemMember { get; private set; }

    /// <summary>The regular files, in archive order.</summary>
    /// <exception cref="InvalidOperationException">Enumerated twice.</exception>
    public IEnumerable<TarEntry> Entries()
    {
        if (_started) throw new InvalidOperationException("a TarReader can be enumerated only once");
        _started = true;
        return Iterate();
    }

    private IEnumerable<TarEntry> Iterate()
    {
        var header = new byte[Block];
        string? longName = null;      // from a GNU 'L' entry, applies to the next member
        string? paxPath = null;       // from a PAX 'x' header, applies to the next member
        long? paxSize = null;
        while (true)
        {
            long headerOffset = _offset;
            int got = Fill(header);
            if (got < 0) yield break;                  // I/O error, Problem set
            if (got == 0)
            {
                // EOF exactly at a block boundary but without the end-of-archive blocks: every writer (GNU tar,
                // TarWriter) writes them, so the archive was cut between members and later members may be lost.
                Fail($"archive ends at byte {headerOffset} without the end-of-archive marker", truncated: true, longName ?? paxPath);
                yield break;
            }
            if (got < Block) { Fail($"archive ends inside a header at byte {headerOffset}", truncated: true, longName ?? paxPath); yield break; }
            if (IsZero(header)) yield break;           // end-of-archive marker

            if (!ChecksumMatches(header)) { Fail($"bad header checksum at byte {headerOffset} (not a tar file, or corrupt)", truncated: false, longName ?? paxPath); yield break; }
            if (!TryParseNumber(header.AsSpan(124, 12), out long size) || !TryParseNumber(header.AsSpan(136, 12), out long mtime))
            {
                Fail($"malformed size or time field in the header at byte {headerOffset}", truncated: false, longName ?? paxPath);
                yield break;
            }
            char type = (char)header[156];
            string name = HeaderName(header);
            if (paxSize is { } overriddenSize && type is not ('x' or 'g' or 'L' or 'K')) size = overriddenSize;
            string member = paxPath ?? longName ?? name;
            if (size < 0 || size > Array.MaxLength) { Fail($"member size {size} out of range at byte {headerOffset}", truncated: false, member); yield break; }

            switch (type)
            {
                case 'L': // GNU long name of the next member
                {
                    byte[]? data = ReadData(size, member, headerOffset);
                    if (data is null) yield break;
                    longName = CString(data);
                    continue;
                }
                case 'x': // PAX extended header for the next member
                case 'g': // PAX global header: parsed for validity; no global key changes what we read
                {
                    byte[]? data = ReadData(size, member, headerOffset);
                    if (data is null) yield break;
                    if (!TryParsePax(data, out var records)) { Fail($"malformed PAX header at byte {headerOffset}", truncated: false, member); yield break; }
                    if (type == 'x')
                    {
                        if (records.TryGetValue("path", out string? p)) paxPath = p;
                        if (records.TryGetValue("size", out string? s) && long.TryParse(s, out long ps)) paxSize = ps;
                    }
                    continue;
                }
                case '0' or '\0' or '7':
                {
                    byte[]? data = ReadData(size, member, headerOffset);
                    if (data is null) yield break;
                    longName = paxPath = null;
                    paxSize = null;
                    if (member.EndsWith('/')) continue; // old-style directory entry
                    yield return new TarEntry(member, data, DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(mtime, -62135596800L, 253402300799L)));
                    continue;
                }
                default: // directories, hard/soft links, devices, FIFOs, GNU 'K' long link names, vendor types
                {
                    if (!Skip(size, member, headerOffset)) yield break;
                    if (type != 'K') { longName = paxPath = null; paxSize = null; }
                    continue;
                }
            }
        }
    }

    private static string HeaderName(byte[] header)
    {
        string name = CString(header.AsSpan(0, 100));
        // Only POSIX ustar ("ustar\0") uses the prefix field; old GNU format ("ustar  \0") stores times there.
        bool posix = header.AsSpan(257, 6).SequenceEqual("ustar\0"u8);
        if (!posix) return name;
        string prefix = CString(header.AsSpan(345, 155));
        return prefix.Length == 0 ? name : prefix + "/" + name;
    }

    private static string CString(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }

    private static bool IsZero(ReadOnlySpan<byte> block) => !block.ContainsAnyExcept((byte)0);

    private static bool ChecksumMatches(byte[] header)
    {
        if (!TryParseNumber(header.AsSpan(148, 8), out long stored)) return false;
        long unsigned = 0, signed = 0;
        for (int i = 0; i < Block; i++)
        {
            byte b = i is >= 148 and < 156 ? (byte)' ' : header[i];
            unsigned += b;
            signed += (sbyte)b; // some historic writers summed signed chars
        }
        return stored == unsigned || stored == signed;
    }

    /// <summary>Octal (NUL/space padded) or GNU base-256 (high bit of the first byte set).</summary>
    private static bool TryParseNumber(ReadOnlySpan<byte> field, out long value)
    {
        value = 0;
        if (field.Length > 0 && (field[0] & 0x80) != 0)
        {
            if ((field[0] & 0x40) != 0) return false; // negative base-256: not meaningful for sizes or our times
            value = field[0] & 0x3F;
            for (int i = 1; i < field.Length; i++)
            {
                if (value > (long.MaxValue >> 8)) return false;
                value = (value << 8) | field[i];
            }
            return true;
        }
        int k = 0;
        while (k < field.Length && field[k] == (byte)' ') k++;
        bool any = false;
        for (; k < field.Length; k++)
        {
            byte c = field[k];
            if (c is 0 or (byte)' ') break;
            if (c is < (byte)'0' or > (byte)'7') return false;
            if (value > (long.MaxValue >> 3)) return false;
            value = (value << 3) | (uint)(c - '0');
            any = true;
        }
        _ = any; // an all-blank field reads as 0
        return true;
    }

    private static bool TryParsePax(byte[] data, out Dictionary<string, string> records)
    {
        records = new Dictionary<string, string>(StringComparer.Ordinal);
        int pos = 0;
        while (pos < data.Length)
        {
            if (data[pos] == 0) break; // padding
            int space = Array.IndexOf(data, (byte)' ', pos);
            if (space < 0 || !int.TryParse(Encoding.ASCII.GetString(data, pos, space - pos), out int length) || length <= 0 || pos + length > data.Length)
                return false;
            // record: "<length> <key>=<value>\n", length counting the whole record
            var body = data.AsSpan(space + 1, pos + length - space - 1);
            if (body.Length == 0 || body[^1] != (byte)'\n') return false;
            int eq = body.IndexOf((byte)'=');
            if (eq <= 0) return false;
            records[Encoding.UTF8.GetString(body[..eq])] = Encoding.UTF8.GetString(body[(eq + 1)..^1]);
            pos += length;
        }
        return true;
    }

    private byte[]? ReadData(long size, string member, long headerOffset)
    {
        var data = new byte[size];
        int got = Fill(data);
        if (got < 0) return null;
        if (got < size) { Fail($"archive ends inside member data ({got} of {size} bytes, header at byte {headerOffset})", truncated: true, member); return null; }
        return SkipPadding(size, member, headerOffset) ? data : null;
    }

    private bool Skip(long size, string member, long headerOffset)
    {
        var scratch = new byte[(int)Math.Min(size, 64 * 1024)];
        long left = size;
        while (left > 0)
        {
            int got = Fill(scratch.AsSpan(0, (int)Math.Min(left, scratch.Length)));
            if (got < 0) return false;
            if (got < Math.Min(left, scratch.Length)) { Fail($"archive ends inside member data (header at byte {headerOffset})", truncated: true, member); return false; }
            left -= got;
        }
        return SkipPadding(size, member, headerOffset);
    }

    private bool SkipPadding(long size, string member, long headerOffset)
    {
        int pad = (int)((Block - size % Block) % Block);
        if (pad == 0) return true;
        Span<byte> padding = stackalloc byte[Block];
        int got = Fill(padding[..pad]);
        if (got < 0) return false;
        if (got < pad) { Fail($"archive ends inside member padding (header at byte {headerOffset})", truncated: true, member); return false; }
        return true;
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or EOF; returns bytes read, or -1 after an I/O error (recorded).</summary>
    private int Fill(Span<byte> buffer)
    {
        int total = 0;
        try
        {
            while (total < buffer.Length)
            {
                int n = _stream.Read(buffer[total..]);
                if (n == 0) break;
                total += n;
            }
        }
        catch (IOException ex)
        {
            Fail($"read error at byte {_offset + total}: {ex.Message}", truncated: false, null);
            ReadFailed = true;
            return -1;
        }
        _offset += total;
        return total;
    }

    private void Fail(string problem, bool truncated, string? member)
    {
        Problem = problem;
        Truncated = truncated;
        ProblemMember = member;
    }

    /// <summary>Closes the stream unless it was to be left open.</summary>
    public void Dispose()
    {
        if (!_leaveOpen) _stream.Dispose();
    }
}
