using System.Text;

namespace ClipLab.Data.WebDataset;

/// <summary>
/// Writes regular files into a POSIX ustar archive with reproducible bytes: every member gets the same
/// modification time, mode 0644, owner 0:0 and empty owner names, so equal input gives byte-equal shards.
/// Names longer than 100 bytes use the ustar prefix field when they can be split at a '/', otherwise a PAX
/// <c>path</c> record. <see cref="Finish"/> (or <see cref="Dispose"/>) writes the two zero end blocks.
/// </summary>
public sealed class TarWriter : IDisposable
{
    private const int Block = 512;
    private const long MaxOctalSize = (1L << 33) - 1; // 11 octal digits

    /// <summary>The default member time, 2000-01-01T00:00:00Z (a fixed, plausible date; GNU tar warns about 1970).</summary>
    public static DateTimeOffset DefaultModified { get; } = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly long _mtime;
    private bool _finished;

    /// <summary>Writes to <paramref name="stream"/>, stamping members with <paramref name="modified"/> (default <see cref="DefaultModified"/>).</summary>
    public TarWriter(Stream stream, DateTimeOffset? modified = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _mtime = (modified ?? DefaultModified).ToUnixTimeSeconds();
        if (_mtime < 0 || _mtime > MaxOctalSize) throw new ArgumentOutOfRangeException(nameof(modified), "must be between 1970 and 2242");
    }

    /// <summary>Bytes written so far.</summary>
    public long Position { get; private set; }

    /// <summary>Appends a regular file.</summary>
    /// <exception cref="ArgumentException">The name is empty, absolute, contains NUL or a '..' segment, or ends with '/'.</exception>
    public void WriteFile(string name, ReadOnlySpan<byte> data)
    {
        if (_finished) throw new InvalidOperationException("the archive is already finished");
        ValidateName(name);
        byte[] nameBytes = Encoding.UTF8.GetBytes(name);
        if (nameBytes.Length <= 100)
            WriteHeader(nameBytes, [], '0', data.Length);
        else if (TrySplit(nameBytes, out byte[] prefix, out byte[] rest))
            WriteHeader(rest, prefix, '0', data.Length);
        else
        {
            // PAX record "<len> path=<name>\n", where <len> counts the whole record including its own digits.
            byte[] body = Encoding.UTF8.GetBytes($" path={name}\n");
            int length = body.Length + 1;
            while (length.ToString().Length + body.Length != length) length = length.ToString().Length + body.Length;
            byte[] record = [.. Encoding.ASCII.GetBytes(length.ToString()), .. body];
            WriteHeader(Encoding.ASCII.GetBytes("PaxHeader/long-name"), [], 'x', record.Length);
            WriteData(record);
            // Readers without PAX support see a truncated name; PAX readers use the record.
            WriteHeader(nameBytes.AsSpan(nameBytes.Length - 100).ToArray(), [], '0', data.Length);
        }
        WriteData(data);
    }

    /// <summary>Writes the end-of-archive marker (two zero blocks) and flushes. Idempotent.</summary>
    public void Finish()
    {
        if (_finished) return;
        _finished = true;
        Write(new byte[2 * Block]);
        _stream.Flush();
    }

    /// <summary>Finishes the archive and closes the stream unless it was to be left open.</summary>
    public void Dispose()
    {
        try { Finish(); }
        finally { if (!_leaveOpen) _stream.Dispose(); }
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("member name is empty", nameof(name));
        if (name.Contains('\0') || name.StartsWith('/') || name.EndsWith('/') || name.Split('/').Contains(".."))
            throw new ArgumentException($"'{name}' is not a safe relative member name", nameof(name));
    }

    /// <summary>Splits at a '/' so that the prefix fits 155 bytes and the rest 1..100 bytes.</summary>
    private static bool TrySplit(byte[] name, out byte[] prefix, out byte[] rest)
    {
        for (int i = Math.Min(155, name.Length - 1); i > 0; i--)
        {
            if (name[i] != (byte)'/' || name.Length - i - 1 > 100 || name.Length - i - 1 == 0) continue;
            prefix = name[..i];
            rest = name[(i + 1)..];
            return true;
        }
        prefix = rest = [];
        return false;
    }

    private void WriteHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> prefix, char type, long size)
    {
        var h = new byte[Block];
        name.CopyTo(h.AsSpan(0, 100));
        Octal(h, 100, 8, 0b110_100_100); // mode 0644
        Octal(h, 108, 8, 0);             // uid
        Octal(h, 116, 8, 0);             // gid
        Octal(h, 124, 12, size);
        Octal(h, 136, 12, _mtime);
        h[156] = (byte)type;
        "ustar\0"u8.CopyTo(h.AsSpan(257));
        "00"u8.CopyTo(h.AsSpan(263));
        Octal(h, 329, 8, 0);             // devmajor
        Octal(h, 337, 8, 0);             // devminor
        prefix.CopyTo(h.AsSpan(345, 155));
        h.AsSpan(148, 8).Fill((byte)' ');
        long sum = 0;
        foreach (byte b in h) sum += b;
        Octal(h, 148, 7, sum);           // six digits, NUL, and the space already there
        h[155] = (byte)' ';
        Write(h);
    }

    /// <summary>Zero-padded octal in <c>width - 1</c> digits followed by NUL.</summary>
    private static void Octal(byte[] header, int offset, int width, long value)
    {
        string digits = Convert.ToString(value, 8).PadLeft(width - 1, '0');
        Encoding.ASCII.GetBytes(digits).CopyTo(header, offset);
        header[offset + width - 1] = 0;
    }

    private void WriteData(ReadOnlySpan<byte> data)
    {
        Write(data);
        int pad = (int)((Block - data.Length % Block) % Block);
        if (pad > 0) Write(new byte[pad]);
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        _stream.Write(bytes);
        Position += bytes.Length;
    }
}
