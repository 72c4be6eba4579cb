using ClipLab.Data;
using ClipLab.Data.Sources;

namespace ClipLab.Tests.Data.Sources;

/// <summary>A temporary folder deleted after the test.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cliplab-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Small fake encoded images: correct magic bytes, arbitrary rest (decoding is not the sources' job).</summary>
internal static class FakeImages
{
    public static byte[] Jpeg(int seed, int length = 300)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        bytes[0] = 0xFF; bytes[1] = 0xD8; bytes[2] = 0xFF;
        return bytes;
    }

    public static byte[] Png(int seed, int length = 200)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        byte[] magic = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        magic.CopyTo(bytes, 0);
        return bytes;
    }

    public static IEnumerable<RawSample> Samples(int count, string prefix = "s") =>
        Enumerable.Range(0, count).Select(i => new RawSample($"{prefix}{i:D6}", i % 3 == 0 ? "png" : "jpg",
            i % 3 == 0 ? Png(i) : Jpeg(i), $"caption {i}", i % 2 == 0 ? $"{{\"i\":{i}}}" : null));
}

/// <summary>An in-memory source of <c>count</c> samples keyed <c>{name}{i}</c>, partitioned by index.</summary>
internal sealed class ListSource(string name, int count) : ISampleSource
{
    public string Name => name;

    public long? Count => count;

    public IEnumerable<RawSample> Read(SourcePartition partition, int epoch, ulong seed, BadSampleCounter bad, CancellationToken cancellation = default) =>
        Enumerable.Range(0, count).Where(i => i % partition.Slices == partition.Slice)
            .Select(i => new RawSample($"{name}{i}", "jpg", FakeImages.Jpeg(i, 8), $"{name} {i}"));
}
