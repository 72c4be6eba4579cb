using System.Security.Cryptography;
using ClipLab.Data;
using ClipLab.Data.Sources;
using ClipLab.Data.WebDataset;
using ClipLab.Tests.Data.Sources;
using Xunit;

namespace ClipLab.Tests.Data.WebDataset;

public class ShardWriterTests
{
    [Fact]
    public void ShardsAndManifestRoundTripThroughTheSource()
    {
        using var temp = new TempFolder();
        var samples = FakeImages.Samples(25).ToList();
        ShardWriterResult result = ShardWriter.WriteAll(samples, temp.Path, "train", perShard: 10);

        Assert.Equal(["train-00000.tar", "train-00001.tar", "train-00002.tar"], result.ShardPaths.Select(Path.GetFileName));
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
        var manifest = ShardManifest.Load(result.ManifestPath);
        Assert.Equal(25, manifest.TotalSamples);
        Assert.Equal([10L, 10L, 5L], manifest.Shards.Select(s => s.Samples));
        foreach (ShardInfo shard in manifest.Shards)
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(temp.Path, shard.File));
            Assert.Equal(bytes.Length, shard.Bytes);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), shard.Sha256);
        }

        var source = new WebDatasetSource(new WebDatasetOptions(result.Pattern));
        Assert.Equal(25, source.Count);
        var bad = new BadSampleCounter();
        var read = source.Read(SourcePartition.All, 0, 1, bad).ToList();
        Assert.Equal(0, bad.Bad);
        Assert.Equal(samples.Select(s => s.Key), read.Select(s => s.Key));
        for (int i = 0; i < samples.Count; i++)
        {
            Assert.Equal(samples[i].Image, read[i].Image);
            Assert.Equal(samples[i].ImageExtension, read[i].ImageExtension);
            Assert.Equal(samples[i].Caption, read[i].Caption);
            Assert.Equal(samples[i].Json, read[i].Json);
            Assert.StartsWith(result.ShardPaths[i / 10] + ":", read[i].Origin);
        }
    }

    [Fact]
    public void OutputIsReproducible()
    {
        using var a = new TempFolder();
        using var b = new TempFolder();
        var ra = ShardWriter.WriteAll(FakeImages.Samples(7), a.Path, "x", 3);
        var rb = ShardWriter.WriteAll(FakeImages.Samples(7), b.Path, "x", 3);
        Assert.Equal(ra.Manifest.Shards.Select(s => s.Sha256), rb.Manifest.Shards.Select(s => s.Sha256));
    }

    [Theory]
    [InlineData("a.b", "not tar-safe")]
    [InlineData("a/b", "not tar-safe")]
    [InlineData("", "empty")]
    public void UnsafeKeysAreRejected(string key, string message)
    {
        using var temp = new TempFolder();
        var ex = Assert.Throws<ArgumentException>(() => ShardWriter.WriteAll([new RawSample(key, "jpg", FakeImages.Jpeg(1), "c")], temp.Path, "x", 3));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void DuplicateKeysAreRejected()
    {
        using var temp = new TempFolder();
        var sample = new RawSample("k", "jpg", FakeImages.Jpeg(1), "c");
        var ex = Assert.Throws<ArgumentException>(() => ShardWriter.WriteAll([sample, sample], temp.Path, "x", 3));
        Assert.Contains("twice", ex.Message);
    }
}

public class ShardSampleMembersTests
{
    [Fact]
    public void MembersAreCopiedAsStoredWithTheirOriginalExtensions()
    {
        using var temp = new TempFolder();
        byte[] image = FakeImages.Jpeg(1), text = " padded caption \n"u8.ToArray(), label = "7"u8.ToArray();
        using (var writer = new ShardWriter(temp.Path, "m"))
        {
            writer.WriteMembers("a", [("JPG", image), ("txt", text), ("cls", label)]);
            writer.WriteMembers("b", [("seg.png", FakeImages.Png(2)), ("txt", "b"u8.ToArray())]);
            Assert.Throws<ArgumentException>(() => writer.WriteMembers("c", [("txt", text), ("txt", text)]));
            Assert.Throws<ArgumentException>(() => writer.WriteMembers("d", [("x/y", text)]));
            Assert.Throws<ArgumentException>(() => writer.WriteMembers("e", []));
            Assert.Throws<ArgumentException>(() => writer.WriteMembers("a", [("txt", text)]));
            writer.Finish();
        }
        var samples = ShardSampleMembers.Read(Path.Combine(temp.Path, "m-00000.tar")).ToList();
        Assert.Equal(["a", "b"], samples.Select(s => s.Key));
        Assert.Equal(["JPG", "cls", "txt"], samples[0].Members.Select(m => m.Extension)); // written in name order
        Assert.Equal(image, samples[0].Members[0].Data);
        Assert.Equal(text, samples[0].Members[2].Data); // not trimmed
        Assert.Equal(["seg.png", "txt"], samples[1].Members.Select(m => m.Extension));
        Assert.Throws<FileNotFoundException>(() => ShardSampleMembers.Read(Path.Combine(temp.Path, "absent.tar")));
    }
}
