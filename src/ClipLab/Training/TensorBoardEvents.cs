using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using ClipLab.IO;

namespace ClipLab.Training;

/// <summary>
/// Reads a TensorBoard log folder's event files and cuts them back to a step, so that a resumed run logs
/// every step once: without it, the steps logged after the last checkpoint by the interrupted session would
/// appear again (TensorBoard shows both, as a zig-zag).
/// </summary>
/// <remarks>
/// An event file is a sequence of TFRecords (uint64 length, masked CRC-32C of the length, the bytes, masked
/// CRC-32C of the bytes), each an <c>Event</c> protocol buffer: field 1 wall time, 2 step, 3 file version,
/// 5 summary (whose repeated field 1 is a value with its tag in field 1). A record whose length or checksum
/// does not hold (the tail torn by a kill) ends the file.
/// </remarks>
public static class TensorBoardEvents
{
    /// <summary>The events of one event file, in order, up to its first torn or corrupt record.</summary>
    public static IReadOnlyList<TensorBoardEvent> Read(string path) => Read(File.ReadAllBytes(path));

    private static List<TensorBoardEvent> Read(byte[] bytes)
    {
        var events = new List<TensorBoardEvent>();
        int offset = 0;
        while (TryReadRecord(bytes, offset, out var data, out int next))
        {
            events.Add(Parse(data, offset, next - offset));
            offset = next;
        }
        return events;
    }

    /// <summary>The event files in <paramref name="directory"/>, oldest first (TensorBoard's order: by name, which starts with the creation time).</summary>
    public static IReadOnlyList<string> Files(string directory) => !Directory.Exists(directory) ? [] :
        Directory.GetFiles(directory, "events.out.tfevents.*").Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Rewrites each event file of <paramref name="directory"/> without the events after <paramref name="step"/>
    /// (and without a torn tail); events without a step, like the file-version header, are kept. Each file is
    /// replaced atomically, so a kill during the cut leaves every file whole.
    /// </summary>
    public static void TruncateAfter(string directory, long step)
    {
        // Temporary files of a cut that was itself killed: their names hold "tfevents", so TensorBoard would read them.
        if (Directory.Exists(directory))
            foreach (var stale in Directory.GetFiles(directory, ".events.out.tfevents.*.tmp")) File.Delete(stale);
        foreach (var path in Files(directory))
        {
            var bytes = File.ReadAllBytes(path);
            var events = Read(bytes);
            var kept = events.Where(e => e.Step <= step).ToList();
            long keptLength = kept.Sum(e => (long)e.Length);
            if (kept.Count == events.Count && keptLength == bytes.Length) continue;
            AtomicFile.Write(path, stream =>
            {
                foreach (var e in kept) stream.Write(bytes, e.Offset, e.Length);
            });
        }
    }

    private static bool TryReadRecord(byte[] bytes, int offset, out ReadOnlySpan<byte> data, out int next)
    {
        data = default;
        next = offset;
        if (bytes.Length - offset < 12) return false;
        var header = bytes.AsSpan(offset, 8);
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 8, 4)) != MaskedCrc(header)) return false;
        if (length > (ulong)(bytes.Length - offset - 16)) return false;
        data = bytes.AsSpan(offset + 12, (int)length);
        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 12 + (int)length, 4)) != MaskedCrc(data)) return false;
        next = offset + 16 + (int)length;
        return true;
    }

    private static TensorBoardEvent Parse(ReadOnlySpan<byte> data, int offset, int length)
    {
        long step = 0;
        var tags = new List<string>();
        var reader = new ProtoReader(data);
        while (reader.Next(out int field, out int wireType))
        {
            if (field == 2 && wireType == 0) step = (long)reader.Varint();
            else if (field == 5 && wireType == 2)
            {
                var summary = new ProtoReader(reader.Bytes());
                while (summary.Next(out int f, out int w))
                {
                    if (f != 1 || w != 2) { summary.Skip(w); continue; }
                    var value = new ProtoReader(summary.Bytes());
                    while (value.Next(out int vf, out int vw))
                    {
                        if (vf == 1 && vw == 2) tags.Add(Encoding.UTF8.GetString(value.Bytes()));
                        else value.Skip(vw);
                    }
                }
            }
            else reader.Skip(wireType);
        }
        return new TensorBoardEvent(step, tags, offset, length);
    }

    // TFRecord's checksum: CRC-32C, rotated and offset so that a CRC stored inside data does not checksum to itself.
    private static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data) crc = BitOperations.Crc32C(crc, b);
        crc ^= 0xFFFFFFFF;
        return ((crc >> 15) | (crc << 17)) + 0xA282EAD8;
    }

    /// <summary>Just enough of the protocol-buffer wire format to walk an Event's fields.</summary>
    private ref struct ProtoReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public bool Next(out int field, out int wireType)
        {
            field = wireType = 0;
            if (_position >= _data.Length) return false;
            ulong key = Varint();
            field = (int)(key >> 3);
            wireType = (int)(key & 7);
            return true;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                if (_position >= _data.Length) throw new InvalidDataException("a TensorBoard event ends inside a number");
                byte b = _data[_position++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) return value;
            }
            throw new InvalidDataException("a TensorBoard event holds a number longer than 10 bytes");
        }

        public ReadOnlySpan<byte> Bytes()
        {
            int length = checked((int)Varint());
            if (length > _data.Length - _position) throw new InvalidDataException("a TensorBoard event field runs past its end");
            var bytes = _data.Slice(_position, length);
            _position += length;
            return bytes;
        }

        public void Skip(int wireType)
        {
            switch (wireType)
            {
                case 0: Varint(); break;
                case 1: _position += 8; break;
                case 2: Bytes(); break;
                case 5: _position += 4; break;
                default: throw new InvalidDataException($"a TensorBoard event holds an unknown field type {wireType}");
            }
        }
    }
}

/// <summary>One event of a TensorBoard event file.</summary>
/// <param name="Step">The step it was logged at (0 for events without one, like the file-version header).</param>
/// <param name="Tags">The tags of its summary values (one for each <c>add_scalar</c>).</param>
/// <param name="Offset">Where its record starts in the file.</param>
/// <param name="Length">Its record's length in bytes, framing included.</param>
public sealed record TensorBoardEvent(long Step, IReadOnlyList<string> Tags, int Offset, int Length);
