using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ClipLab.Imaging;

/// <summary>
/// A managed decoder for the PNGs training data is made of (8-bit, non-interlaced: grey, grey+alpha, RGB, RGBA
/// and palette), faster than SkiaSharp's: .NET's zlib-ng inflates, the Paeth filter (most rows of photos)
/// runs on SIMD lanes per pixel, the image is inflated in one call and unfiltered in place, and pixels go straight
/// to RGB composited over the background. When the caller accepts a smaller image, k×k pixel blocks are
/// averaged while decoding (k = 2, 4 or 8), the PNG counterpart of JPEG's DCT scaling.
/// </summary>
/// <remarks>
/// Other PNGs (16-bit, 1/2/4-bit, interlaced) are left to SkiaSharp: <see cref="TryDecode"/> returns null.
/// Chunk CRCs are not checked; the image data is still verified by zlib's Adler-32 checksum, which is what
/// catches corruption that matters for training.
/// </remarks>
internal static class PngDecoder
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    // Bytes after the inflated rows (and after the all-zero "row above the first"), so 4-byte SIMD reads of a
    // row's last 3-byte pixel stay inside the buffer.
    private const int Pad = 16;

    /// <summary>The header fields the decoder needs.</summary>
    internal readonly record struct Header(int Width, int Height, int BitDepth, int ColorType, int Interlace)
    {
        /// <summary>Bytes per pixel of the 8-bit colour types handled here.</summary>
        public int BytesPerPixel => ColorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };

        /// <summary>Whether the managed decoder handles this PNG (otherwise SkiaSharp does).</summary>
        public bool Supported => BitDepth == 8 && Interlace == 0 && BytesPerPixel > 0;
    }

    /// <summary>Whether <paramref name="data"/> starts with the PNG signature.</summary>
    public static bool IsPng(ReadOnlySpan<byte> data) => data.StartsWith(Signature);

    /// <summary>
    /// Decodes a PNG, or returns null when it is of a kind left to SkiaSharp. With a scale <paramref name="blockSize"/>
    /// k &gt; 1 the result is (W / k) × (H / k), each pixel the mean of a k×k block (edge pixels that do not fill a
    /// block are dropped).
    /// </summary>
    /// <exception cref="ImageDecodeException">Broken, truncated or oversized PNG.</exception>
    public static RgbImage? TryDecode(ReadOnlySpan<byte> data, int blockSize, ImageDecodeOptions options)
    {
        var header = ReadHeader(data);
        if (!header.Supported) return null;
        CheckSize(header, options);
        if (blockSize is not (1 or 2 or 4 or 8) || header.Width / blockSize < 1 || header.Height / blockSize < 1)
            throw new ArgumentOutOfRangeException(nameof(blockSize), $"block size {blockSize} does not fit a {header.Width}×{header.Height} image");

        var palette = new byte[256 * 4]; // RGBA; entries past the PLTE length stay absent
        int paletteSize = 0;
        int transparentKey = -1;         // grey or packed RGB of the single transparent colour (tRNS of types 0 and 2)
        byte[] idat = ArrayPool<byte>.Shared.Rent(data.Length);
        try
        {
            int idatLength = 0;
            foreach (var (type, offset, length) in Chunks(data))
            {
                var body = data.Slice(offset, length);
                switch (type)
                {
                    case "PLTE":
                        if (body.Length % 3 != 0 || body.Length > 768) throw Corrupt(header, $"a palette of {body.Length} bytes (must be 3 per entry, at most 256 entries)");
                        paletteSize = body.Length / 3;
                        for (int i = 0; i < paletteSize; i++)
                        {
                            palette[4 * i] = body[3 * i];
                            palette[4 * i + 1] = body[3 * i + 1];
                            palette[4 * i + 2] = body[3 * i + 2];
                            palette[4 * i + 3] = 255;
                        }
                        break;
                    case "tRNS":
                        if (header.ColorType == 3)
                            for (int i = 0; i < Math.Min(body.Length, paletteSize); i++) palette[4 * i + 3] = body[i];
                        else if (header.ColorType == 0 && body.Length >= 2)
                            transparentKey = body[1];
                        else if (header.ColorType == 2 && body.Length >= 6)
                            transparentKey = (body[1] << 16) | (body[3] << 8) | body[5];
                        break;
                    default: // IDAT
                        body.CopyTo(idat.AsSpan(idatLength));
                        idatLength += body.Length;
                        break;
                }
            }
            if (idatLength == 0) throw Corrupt(header, "no image data (IDAT chunk)");
            if (header.ColorType == 3 && paletteSize == 0) throw Corrupt(header, "a palette image without a palette (PLTE chunk)");
            using var inflater = new ZLibStream(new MemoryStream(idat, 0, idatLength, writable: false), CompressionMode.Decompress);
            return DecodeRows(inflater, header, blockSize, palette, paletteSize, transparentKey, options.Background);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(idat);
        }
    }

    /// <summary>Reads the IHDR chunk.</summary>
    /// <exception cref="ImageDecodeException">No readable PNG header.</exception>
    internal static Header ReadHeader(ReadOnlySpan<byte> data)
    {
        // Signature (8) + IHDR length (4) + type (4) + 13 bytes of fields.
        if (data.Length < 33 || !IsPng(data) || !data.Slice(12, 4).SequenceEqual("IHDR"u8))
            throw new ImageDecodeException(SkipReason.CorruptImage, $"corrupt png image: the header cannot be read ({data.Length:N0} bytes)");
        int width = BinaryPrimitives.ReadInt32BigEndian(data[16..]);
        int height = BinaryPrimitives.ReadInt32BigEndian(data[20..]);
        if (width <= 0 || height <= 0)
            throw new ImageDecodeException(SkipReason.CorruptImage, $"corrupt png image: size {width}×{height}");
        return new Header(width, height, data[24], data[25], data[28]);
    }

    private static void CheckSize(Header header, ImageDecodeOptions options)
    {
        long pixels = (long)header.Width * header.Height;
        if (pixels > options.MaxPixels || header.Width > RgbImage.MaxSide || header.Height > RgbImage.MaxSide)
            throw new ImageDecodeException(SkipReason.ImageTooLarge,
                $"image too large: png of {header.Width:N0}×{header.Height:N0} = {pixels:N0} pixels, more than the limit of {options.MaxPixels:N0} " +
                $"(sides at most {RgbImage.MaxSide:N0})");
    }

    /// <summary>The IDAT, PLTE and tRNS chunks in file order, as body ranges of <paramref name="data"/>; others are skipped.</summary>
    private static List<(string Type, int Offset, int Length)> Chunks(ReadOnlySpan<byte> data)
    {
        var chunks = new List<(string, int, int)>();
        int pos = Signature.Length;
        while (true)
        {
            if (pos + 8 > data.Length) throw new ImageDecodeException(SkipReason.CorruptImage, "corrupt png image: the file is truncated (no IEND chunk)");
            int length = BinaryPrimitives.ReadInt32BigEndian(data[pos..]);
            var type = data.Slice(pos + 4, 4);
            bool isData = type.SequenceEqual("IDAT"u8);
            if (length < 0 || (long)pos + 12 + length > data.Length)
            {
                // A cut-off IDAT still holds most of the image; zlib then reports exactly where the data ends.
                if (isData && length >= 0)
                {
                    chunks.Add(("IDAT", pos + 8, data.Length - pos - 8));
                    return chunks;
                }
                throw new ImageDecodeException(SkipReason.CorruptImage,
                    $"corrupt png image: chunk '{System.Text.Encoding.ASCII.GetString(type)}' of {length:N0} bytes runs past the end of the file (the file is truncated)");
            }
            if (type.SequenceEqual("IEND"u8)) return chunks;
            if (isData) chunks.Add(("IDAT", pos + 8, length));
            else if (type.SequenceEqual("PLTE"u8)) chunks.Add(("PLTE", pos + 8, length));
            else if (type.SequenceEqual("tRNS"u8)) chunks.Add(("tRNS", pos + 8, length));
            pos += 12 + length;
        }
    }

    private static unsafe RgbImage DecodeRows(Stream inflater, Header header, int block, byte[] palette, int paletteSize, int transparentKey,
        RgbColor background)
    {
        int width = header.Width, height = header.Height, bpp = header.BytesPerPixel;
        int rowBytes = width * bpp, stride = rowBytes + 1;
        int outWidth = width / block, outHeight = height / block;
        int rowsNeeded = outHeight * block; // rows past the last full block are not inflated at all
        var image = new RgbImage(outWidth, outHeight);
        // The whole image is inflated in one call (≈1.4× faster than row by row) and unfiltered in place.
        // Padding after the last row keeps the 4-byte SIMD reads of the last pixel inside the buffer.
        var raw = ArrayPool<byte>.Shared.Rent(rowsNeeded * stride + Pad);
        var zeroRow = ArrayPool<byte>.Shared.Rent(rowBytes + Pad);
        var rgb = block > 1 ? ArrayPool<byte>.Shared.Rent(width * 3) : null;
        var sums = block > 1 ? ArrayPool<ushort>.Shared.Rent(width * 3) : null;
        try
        {
            Array.Clear(zeroRow, 0, rowBytes + Pad);
            Array.Clear(raw, rowsNeeded * stride, Pad);
            if (sums is not null) Array.Clear(sums, 0, width * 3);
            Inflate(inflater, raw.AsSpan(0, rowsNeeded * stride), header, stride);
            if (rowsNeeded == height) ExpectEndOfData(inflater, header);
            fixed (byte* rawBase = raw)
            fixed (byte* zero = zeroRow)
            {
                for (int y = 0; y < rowsNeeded; y++)
                {
                    byte* row = rawBase + y * stride + 1;
                    byte* previous = y == 0 ? zero : row - stride;
                    int filter = row[-1];
                    if (filter > 4) throw Corrupt(header, $"row {y} has filter type {filter} (valid: 0–4)");
                    Unfilter(filter, row, previous, rowBytes, bpp);
                    var pixels = new ReadOnlySpan<byte>(row, rowBytes);
                    var target = rgb is null ? image.Pixels.AsSpan(y * width * 3, width * 3) : rgb.AsSpan(0, width * 3);
                    ToRgb(pixels, target, header, palette, paletteSize, transparentKey, background);
                    if (rgb is not null) AccumulateBlocks(target, sums!, outWidth, block, y, image.Pixels);
                }
            }
            return image;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
            ArrayPool<byte>.Shared.Return(zeroRow);
            if (rgb is not null) ArrayPool<byte>.Shared.Return(rgb);
            if (sums is not null) ArrayPool<ushort>.Shared.Return(sums);
        }
    }

    private static void Inflate(Stream inflater, Span<byte> raw, Header header, int stride)
    {
        int read;
        try
        {
            read = inflater.ReadAtLeast(raw, raw.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw Corrupt(header, $"its compressed image data is damaged ({e.Message})");
        }
        if (read < raw.Length)
            throw Corrupt(header, $"the image data ends at row {read / stride} of {header.Height} (the file is truncated)");
    }

    /// <summary>Reads past the last row so zlib verifies its Adler-32 checksum of the whole image.</summary>
    private static void ExpectEndOfData(Stream inflater, Header header)
    {
        try
        {
            Span<byte> probe = stackalloc byte[1];
            inflater.ReadAtLeast(probe, 1, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw Corrupt(header, $"its compressed image data fails its checksum ({e.Message})");
        }
    }

    private static ImageDecodeException Corrupt(Header header, string what) =>
        new(SkipReason.CorruptImage, $"corrupt png image ({header.Width}×{header.Height}): {what}");

    /// <summary>
    /// Reverses a row's filter in place. The first pixel has no left neighbour (PNG defines it as zero), so the
    /// loops start their left-reading part at <paramref name="bpp"/>.
    /// </summary>
    private static unsafe void Unfilter(int filter, byte* row, byte* prev, int n, int bpp)
    {
        switch (filter)
        {
            case 1:
                for (int i = bpp; i < n; i++) row[i] += row[i - bpp];
                break;
            case 2:
            {
                int i = 0;
                for (; i + 16 <= n; i += 16) Vector128.Store(Vector128.Load(row + i) + Vector128.Load(prev + i), row + i);
                for (; i < n; i++) row[i] += prev[i];
                break;
            }
            case 3:
                for (int i = 0; i < bpp; i++) row[i] += (byte)(prev[i] >> 1);
                for (int i = bpp; i < n; i++) row[i] += (byte)((row[i - bpp] + prev[i]) >> 1);
                break;
            case 4:
                if (bpp >= 3)
                {
                    PaethPixels(row, prev, n, bpp);
                }
                else
                {
                    for (int i = 0; i < bpp; i++) row[i] += prev[i]; // Paeth(0, b, 0) = b
                    for (int i = bpp; i < n; i++) row[i] += Paeth(row[i - bpp], prev[i], prev[i - bpp]);
                }
                break;
        }
    }

    /// <summary>
    /// The Paeth filter for 3- and 4-byte pixels, one pixel's channels per SIMD vector: the predictor's
    /// dependency on the pixel just decoded is inherently serial, so parallelism comes from the channels.
    /// </summary>
    private static unsafe void PaethPixels(byte* row, byte* prev, int n, int bpp)
    {
        var a = Vector128<short>.Zero;
        var c = Vector128<short>.Zero;
        var byteMask = Vector128.Create((short)0xFF);
        for (int i = 0; i < n; i += bpp)
        {
            // 4-byte reads stay inside the padded buffers; with 3-byte pixels the 4th lane is ignored.
            var b = Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(prev + i)).AsByte()).AsInt16();
            var filtered = Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(row + i)).AsByte()).AsInt16();
            var bc = b - c;
            var ac = a - c;
            var pa = Vector128.Abs(bc);
            var pb = Vector128.Abs(ac);
            var pc = Vector128.Abs(bc + ac);
            var useA = Vector128.LessThanOrEqual(pa, pb) & Vector128.LessThanOrEqual(pa, pc);
            var useB = Vector128.LessThanOrEqual(pb, pc);
            var predicted = Vector128.ConditionalSelect(useA, a, Vector128.ConditionalSelect(useB, b, c));
            var x = (filtered + predicted) & byteMask;
            uint packed = Vector128.Narrow(x.AsUInt16(), x.AsUInt16()).AsUInt32().ToScalar();
            if (bpp == 4)
            {
                Unsafe.WriteUnaligned(row + i, packed);
            }
            else
            {
                row[i] = (byte)packed;
                row[i + 1] = (byte)(packed >> 8);
                row[i + 2] = (byte)(packed >> 16);
            }
            a = x;
            c = b;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Paeth(int a, int b, int c)
    {
        int pa = Math.Abs(b - c), pb = Math.Abs(a - c), pc = Math.Abs(a + b - 2 * c);
        return (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
    }

    /// <summary>Converts one unfiltered row to RGB, compositing transparency over the background.</summary>
    private static void ToRgb(ReadOnlySpan<byte> src, Span<byte> dst, Header header, byte[] palette, int paletteSize, int transparentKey,
        RgbColor background)
    {
        int width = header.Width;
        switch (header.ColorType)
        {
            case 2 when transparentKey < 0:
                src.CopyTo(dst);
                break;
            case 2:
                for (int x = 0, s = 0; x < width; x++, s += 3)
                {
                    bool clear = ((src[s] << 16) | (src[s + 1] << 8) | src[s + 2]) == transparentKey;
                    Put(dst, x, src[s], src[s + 1], src[s + 2], clear ? 0 : 255, background);
                }
                break;
            case 6:
                for (int x = 0, s = 0; x < width; x++, s += 4)
                    Put(dst, x, src[s], src[s + 1], src[s + 2], src[s + 3], background);
                break;
            case 0:
                for (int x = 0; x < width; x++)
                    Put(dst, x, src[x], src[x], src[x], src[x] == transparentKey ? 0 : 255, background);
                break;
            case 4:
                for (int x = 0, s = 0; x < width; x++, s += 2)
                    Put(dst, x, src[s], src[s], src[s], src[s + 1], background);
                break;
            case 3:
                for (int x = 0; x < width; x++)
                {
                    int index = src[x];
                    if (index >= paletteSize)
                        throw Corrupt(header, $"a pixel uses palette entry {index} of a {paletteSize}-entry palette");
                    int p = 4 * index;
                    Put(dst, x, palette[p], palette[p + 1], palette[p + 2], palette[p + 3], background);
                }
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(Span<byte> dst, int x, int r, int g, int b, int alpha, RgbColor background)
    {
        int d = 3 * x;
        if (alpha == 255)
        {
            dst[d] = (byte)r;
            dst[d + 1] = (byte)g;
            dst[d + 2] = (byte)b;
        }
        else
        {
            // Same rounding as the SkiaSharp path in ImageDecoder, so both decoders give identical pixels.
            int ia = 255 - alpha;
            dst[d] = (byte)((r * alpha + background.R * ia + 127) / 255);
            dst[d + 1] = (byte)((g * alpha + background.G * ia + 127) / 255);
            dst[d + 2] = (byte)((b * alpha + background.B * ia + 127) / 255);
        }
    }

    /// <summary>
    /// Adds an RGB row into per-column sums (SIMD, all rows); after a block's last row, sums each block's k columns,
    /// writes the means and clears the sums. Columns first would cost a k-wide gather on every row.
    /// </summary>
    private static unsafe void AccumulateBlocks(ReadOnlySpan<byte> rgb, ushort[] columnSums, int outWidth, int block, int y, byte[] output)
    {
        int n = rgb.Length; // k ≤ 8 rows of bytes sum to at most 2,040, and k² × 255 = 16,320 fits a ushort
        fixed (byte* source = rgb)
        fixed (ushort* sum = columnSums)
        {
            int i = 0;
            for (; i + 16 <= n; i += 16)
            {
                var bytes = Vector128.Load(source + i);
                Vector128.Store(Vector128.Load(sum + i) + Vector128.WidenLower(bytes), sum + i);
                Vector128.Store(Vector128.Load(sum + i + 8) + Vector128.WidenUpper(bytes), sum + i + 8);
            }
            for (; i < n; i++) sum[i] += source[i];
            if ((y + 1) % block != 0) return;

            // Block areas are powers of two (4, 16, 64): a shift instead of a division per channel.
            int shift = 2 * System.Numerics.BitOperations.Log2((uint)block), half = 1 << (shift - 1);
            fixed (byte* outputRow = &output[(y / block) * outWidth * 3])
            {
                byte* o = outputRow;
                ushort* s = sum;
                for (int ox = 0; ox < outWidth; ox++, o += 3)
                {
                    int r = 0, g = 0, b = 0;
                    for (int k = 0; k < block; k++, s += 3)
                    {
                        r += s[0];
                        g += s[1];
                        b += s[2];
                    }
                    o[0] = (byte)((r + half) >> shift);
                    o[1] = (byte)((g + half) >> shift);
                    o[2] = (byte)((b + half) >> shift);
                }
            }
            new Span<ushort>(sum, n).Clear();
        }
    }
}
