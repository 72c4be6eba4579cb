using System.Diagnostics;
using System.Text;
using ClipLab.Data.WebDataset;
using ClipLab.Tests.Data.Sources;
using Xunit;

namespace ClipLab.Tests.Data.WebDataset;

public class TarTests
{
    private static readonly string LongDirName = "a-rather-long-folder-name-" + new string('d', 60) + "/and-another-one-" + new string('e', 40);
    private static readonly string LongFlatName = new string('x', 180) + ".jpg"; // no '/', so no ustar split: PAX

    [Fact]
    public void WriterOutputReadsBackIncludingLongNamesAndBinaryData()
    {
        var files = new List<(string Name, byte[] Data)>
        {
            ("000001.jpg", FakeImages.Jpeg(1, 1000)),
            ("000001.txt", Encoding.UTF8.GetBytes("a cat ünïcode")),
            ("empty.txt", []),
            ("exact.bin", Enumerable.Range(0, 512).Select(i => (byte)i).ToArray()),
            (LongDirName + "/000002.png", FakeImages.Png(2, 777)),
            (LongFlatName, FakeImages.Jpeg(3, 5)),
        };
        var stream = new MemoryStream();
        var modified = new DateTimeOffset(2021, 5, 6, 7, 8, 9, TimeSpan.Zero);
        using (var writer = new TarWriter(stream, modified, leaveOpen: true))
            foreach (var (name, data) in files) writer.WriteFile(name, data);
        Assert.Equal(0, stream.Length % 512);

        stream.Position = 0;
        using var reader = new TarReader(stream);
        var entries = reader.Entries().ToList();
        Assert.Null(reader.Problem);
        Assert.False(reader.Truncated);
        Assert.Equal(files.Select(f => f.Name), entries.Select(e => e.Name));
        for (int i = 0; i < files.Count; i++) Assert.Equal(files[i].Data, entries[i].Data);
        Assert.All(entries, e => Assert.Equal(modified, e.Modified));
    }

    [Fact]
    public void EqualInputGivesEqualBytes()
    {
        static byte[] Write()
        {
            var stream = new MemoryStream();
            using (var writer = new TarWriter(stream, leaveOpen: true)) writer.WriteFile("k.txt", "x"u8);
            return stream.ToArray();
        }
        Assert.Equal(Write(), Write());
    }

    [Fact]
    public void ReadsWhatGnuTarWrites()
    {
        using var temp = new TempFolder();
        string src = Path.Combine(temp.Path, "src");
        string longDir = Path.Combine(src, LongDirName);
        Directory.CreateDirectory(longDir);
        byte[] image = FakeImages.Jpeg(7, 3000);
        File.WriteAllBytes(Path.Combine(src, "000001.jpg"), image);
        File.WriteAllText(Path.Combine(src, "000001.txt"), "hello");
        File.WriteAllBytes(Path.Combine(longDir, "000002.jpg"), image);
        File.WriteAllText(Path.Combine(src, LongFlatName), "flat");
        string archive = temp.File("gnu.tar");

        foreach (string format in new[] { "gnu", "posix" })
        {
            RunTar(src, archive, format, ["000001.jpg", "000001.txt", LongFlatName, LongDirName.Split('/')[0]]);
            using var reader = new TarReader(File.OpenRead(archive));
            var entries = reader.Entries().ToDictionary(e => e.Name);
            Assert.Null(reader.Problem);
            Assert.Equal(image, entries["000001.jpg"].Data);
            Assert.Equal("hello", Encoding.UTF8.GetString(entries["000001.txt"].Data));
            Assert.Equal(image, entries[LongDirName + "/000002.jpg"].Data);
            Assert.Equal("flat", Encoding.UTF8.GetString(entries[LongFlatName].Data));
            Assert.DoesNotContain(entries.Keys, k => k.EndsWith('/')); // directories skipped
        }
    }

    [Fact]
    public void GnuTarListsWhatTheWriterWrites()
    {
        using var temp = new TempFolder();
        string archive = temp.File("w.tar");
        string[] names = ["k.txt", LongDirName + "/000002.png", LongFlatName];
        using (var writer = new TarWriter(File.Create(archive)))
            foreach (string name in names) writer.WriteFile(name, "data"u8);
        var start = new ProcessStartInfo("tar") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in new[] { "-tf", archive }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        string listing = process.StandardOutput.ReadToEnd();
        string err = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0 && err.Length == 0, err);
        Assert.Equal(names, listing.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void TruncatedArchiveEndsEnumerationAndIsReported()
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, leaveOpen: true))
        {
            writer.WriteFile("a.txt", "first"u8);
            writer.WriteFile("b.bin", new byte[5000]);
        }
        byte[] bytes = stream.ToArray();
        using var reader = new TarReader(new MemoryStream(bytes[..(512 + 512 + 512 + 1000)]));
        var entries = reader.Entries().ToList();
        Assert.Equal(["a.txt"], entries.Select(e => e.Name));
        Assert.True(reader.Truncated);
        Assert.Equal("b.bin", reader.ProblemMember);
        Assert.Contains("ends inside member data", reader.Problem);

        using var cutHeader = new TarReader(new MemoryStream(bytes[..(1024 + 100)]));
        Assert.Single(cutHeader.Entries());
        Assert.True(cutHeader.Truncated);

        using var cutBetweenMembers = new TarReader(new MemoryStream(bytes[..1024])); // no end-of-archive marker
        Assert.Single(cutBetweenMembers.Entries());
        Assert.True(cutBetweenMembers.Truncated);

        using var complete = new TarReader(new MemoryStream(bytes));
        Assert.Equal(2, complete.Entries().Count());
        Assert.False(complete.Truncated);
    }

    [Fact]
    public void CorruptHeaderChecksumIsReportedNotThrown()
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, leaveOpen: true)) writer.WriteFile("a.txt", "x"u8);
        byte[] bytes = stream.ToArray();
        bytes[10] ^= 0x20;
        using var reader = new TarReader(new MemoryStream(bytes));
        Assert.Empty(reader.Entries());
        Assert.False(reader.Truncated);
        Assert.Contains("checksum", reader.Problem);
    }

    private static void RunTar(string folder, string archive, string format, string[] members)
    {
        var start = new ProcessStartInfo("tar") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in new[] { "--format=" + format, "-cf", archive, "-C", folder }.Concat(members)) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        string err = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, err);
    }
}
