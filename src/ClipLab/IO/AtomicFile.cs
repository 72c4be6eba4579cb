namespace ClipLab.IO;

/// <summary>
/// Writes files so that readers see either the old content or the new, never a torn file: the data goes
/// to a temporary file in the same folder, is flushed to disk, then renamed over the target.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllText(string path, string text) => Write(path, stream => WriteText(stream, text));

    /// <summary>Writes through <paramref name="write"/> to a temporary file, then renames it to <paramref name="path"/>.</summary>
    /// <exception cref="IOException">Writing failed (for example, the disk is full); the target is left untouched.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            WriteDurably(temp, write);
            File.Move(temp, full, overwrite: true);
        }
        catch (IOException ex)
        {
            TryDelete(temp);
            throw new IOException($"could not write {full}: {ex.Message} (if the disk is full, free space and retry; the previous file is intact)", ex);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// Writes through <paramref name="write"/> to <paramref name="path"/> and flushes it to disk before returning, without
    /// a rename: for files inside a folder that is itself renamed into place once complete (a checkpoint).
    /// </summary>
    public static void WriteDurably(string path, Action<Stream> write)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        write(stream);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8) to <paramref name="path"/> and flushes it to disk before returning.</summary>
    public static void WriteDurably(string path, string text) => WriteDurably(path, stream => WriteText(stream, text));

    private static void WriteText(Stream stream, string text)
    {
        using var writer = new StreamWriter(stream, leaveOpen: true);
        writer.Write(text);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
