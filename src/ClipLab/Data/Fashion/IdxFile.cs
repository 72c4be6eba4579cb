using System.IO.Compression;

namespace ClipLab.Data.Fashion;

/// <summary>
/// Reader for the IDX format (used by MNIST and Fashion-MNIST): a big-endian header with a magic number
/// whose third byte is the element type and fourth the number of dimensions, then the dimension sizes,
/// then the raw data. Gzip-compressed files (".gz") are decompressed on the fly.
/// </summary>
public static class IdxFile
{
    /// <summary>Reads an unsigned-byte IDX file and returns its dimensions and data.</summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="InvalidDataException">The file is not an unsigned-byte IDX file or is truncated.</exception>
    public static (int[] Shape, byte[] Data) ReadBytes(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"IDX file not found: {path}", path);
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(file, CompressionMode.Decompress)
            : file;
        var header = new byte[4];
        ReadExactly(stream, header, path, "header");
        if (header[0] != 0 || header[1] != 0)
            throw new InvalidDataException($"{path} is not an IDX file (bad magic number).");
        if (header[2] != 0x08)
            throw new InvalidDataException($"{path} holds IDX element type 0x{header[2]:x2}; only unsigned bytes (0x08) are supported.");
        int rank = header[3];
        var shape = new int[rank];
        var dim = new byte[4];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            ReadExactly(stream, dim, path, "dimensions");
            shape[i] = (dim[0] << 24) | (dim[1] << 16) | (dim[2] << 8) | dim[3];
            count *= shape[i];
        }
        var data = new byte[count];
        ReadExactly(stream, data, path, "data");
        return (shape, data);
    }

    private static void ReadExactly(Stream stream, byte[] buffer, string path, string part)
    {
        try { stream.ReadExactly(buffer); }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path} is truncated (ended inside its {part}). Reinstall the package that provides it.");
        }
    }
}
