using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ClipLab.Imaging;

namespace ClipLab.Tests.Imaging;

/// <summary>Builds test images: gradients, and hand-written PNG/GIF files for formats Skia cannot encode.</summary>
internal static class TestImages
{
    public static RgbImage Gradient(int width, int height)
    {
        var image = new RgbImage(width, height);
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
            image.SetPixel(x, y, new RgbColor((byte)(x * 255 / Math.Max(1, width - 1)), (byte)(y * 255 / Math.Max(1, height - 1)), (byte)((x + y) % 256)));
        return image;
    }

    /// <summary>
    /// A PNG with colour type 0 (grey), 2 (RGB), 3 (palette), 4 (grey + alpha) or 6 (RGBA); rows are raw samples per
    /// pixel (two bytes per sample, big-endian, at bit depth 16). Row y is filtered with <c>filters[y % filters.Length]</c>
    /// (default: none), the compressed data is split over <paramref name="idatChunks"/> IDAT chunks, and
    /// <paramref name="interlaced"/> only sets the header flag (for decoders that must refuse or hand over such files).
    /// </summary>
    public static byte[] Png(int width, int height, byte colorType, byte[] samples, byte[]? palette = null, byte[]? transparency = null,
        byte[]? filters = null, int bitDepth = 8, bool interlaced = false, int idatChunks = 1)
    {
        int channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => throw new ArgumentException("colour type") };
        int bpp = channels * bitDepth / 8, rowBytes = width * bpp;
        var raw = new MemoryStream();
        var previous = new byte[rowBytes];
        for (int y = 0; y < height; y++)
        {
            var row = samples.AsSpan(y * rowBytes, rowBytes).ToArray();
            byte filter = filters is null ? (byte)0 : filters[y % filters.Length];
            raw.WriteByte(filter);
            raw.Write(Filter(filter, row, previous, bpp));
            previous = row;
        }
        var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.Optimal, leaveOpen: true)) raw.WriteTo(z);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = (byte)bitDepth;
        ihdr[9] = colorType;
        ihdr[12] = interlaced ? (byte)1 : (byte)0;
        var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", ihdr);
        if (palette is not null) Chunk(png, "PLTE", palette);
        if (transparency is not null) Chunk(png, "tRNS", transparency);
        var compressed = idat.ToArray();
        int piece = (compressed.Length + idatChunks - 1) / idatChunks;
        for (int offset = 0; offset < compressed.Length; offset += piece)
            Chunk(png, "IDAT", compressed.AsSpan(offset, Math.Min(piece, compressed.Length - offset)).ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>Applies PNG filter type 0–4 to a row (the encoder side of what decoders reverse).</summary>
    private static byte[] Filter(byte filter, byte[] row, byte[] previous, int bpp)
    {
        var output = new byte[row.Length];
        for (int i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0, b = previous[i], c = i >= bpp ? previous[i - bpp] : 0;
            int predicted = filter switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                4 => PaethPredictor(a, b, c),
                _ => 0, // an invalid type is written with no filtering, so tests can check it is refused
            };
            output[i] = (byte)(row[i] - predicted);
        }
        return output;
    }

    private static int PaethPredictor(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>A PNG header declaring <paramref name="width"/> × <paramref name="height"/> RGB with a tiny (invalid) IDAT.</summary>
    public static byte[] PngHeaderOnly(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = 2;
        var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", [0x78, 0x9C, 0x03, 0x00]);
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        s.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(len, Crc32(typeAndData));
        s.Write(len);
    }

    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>
    /// A GIF89a with a 2-colour global palette; each pixel index is written as a literal LZW code preceded by a
    /// clear code, which keeps the code width at 3 bits (valid, if not compact).
    /// </summary>
    public static byte[] Gif(int width, int height, RgbColor color0, RgbColor color1, Func<int, int, int> index)
    {
        var s = new MemoryStream();
        s.Write("GIF89a"u8);
        s.Write([(byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0x80, 0, 0]);
        s.Write([color0.R, color0.G, color0.B, color1.R, color1.G, color1.B]);
        s.Write([0x2C, 0, 0, 0, 0, (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0]);
        s.WriteByte(2); // LZW minimum code size
        var codes = new List<int>();
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
        {
            codes.Add(4);
            codes.Add(index(x, y));
        }
        codes.Add(5);
        var bytes = new List<byte>();
        int acc = 0, nbits = 0;
        foreach (int c in codes)
        {
            acc |= c << nbits;
            nbits += 3;
            while (nbits >= 8)
            {
                bytes.Add((byte)acc);
                acc >>= 8;
                nbits -= 8;
            }
        }
        if (nbits > 0) bytes.Add((byte)acc);
        for (int i = 0; i < bytes.Count; i += 255)
        {
            int n = Math.Min(255, bytes.Count - i);
            s.WriteByte((byte)n);
            s.Write(bytes.GetRange(i, n).ToArray());
        }
        s.WriteByte(0);
        s.WriteByte(0x3B);
        return s.ToArray();
    }
}
