using System.Security.Cryptography;
using System.Text;
using ClipLab.Data.Sources;

namespace ClipLab.Data.WebDataset;

/// <summary>What <see cref="ShardWriter"/> produced.</summary>
/// <param name="Manifest">The manifest that was written.</param>
/// <param name="ManifestPath">Full path of <c>manifest.json</c>.</param>
/// <param name="ShardPaths">Full paths of the shards, in order.</param>
/// <param name="Pattern">A brace pattern naming all shards (e.g. <c>/out/train-{00000..00012}.tar</c>), empty if no shard was written.</param>
public sealed record ShardWriterResult(ShardManifest Manifest, string ManifestPath, IReadOnlyList<string> ShardPaths, string Pattern);

/// <summary>
/// Writes samples into WebDataset shards <c>{prefix}-00000.tar</c>, <c>{prefix}-00001.tar</c>, … of
/// <c>perShard</c> samples each (img2dataset's default is 1,000), then <c>manifest.json</c>.
/// </summary>
/// <remarks>
/// Each sample becomes members <c>{key}.{imageExtension}</c>, <c>{key}.txt</c> (UTF-8) and, if present,
/// <c>{key}.json</c>, sorted by name; every member has the same fixed time, so equal input gives byte-equal
/// shards. Each shard is written under a temporary name and renamed when complete, so a crash never leaves a
/// torn shard under a final name. Keys must be unique and must not contain '.', '/', '\' or control characters
/// (WebDataset cuts keys at the first dot); offending keys are rejected with <see cref="ArgumentException"/>.
/// </remarks>
public sealed class ShardWriter : IDisposable
{
    /// <summary>img2dataset's default number of samples per shard.</summary>
    public const int DefaultPerShard = 1000;

    private readonly string _outDir;
    private readonly string _prefix;
    private readonly int _perShard;
    private readonly DateTimeOffset _modified;
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly List<ShardInfo> _shards = [];
    private readonly List<string> _paths = [];
    private FileStream? _file;
    private TarWriter? _tar;
    private string? _tempPath;
    private long _inShard;
    private bool _finished;

    /// <summary>Prepares to write shards named <c>{prefix}-NNNNN.tar</c> into <paramref name="outDir"/> (created if needed).</summary>
    public ShardWriter(string outDir, string prefix, int perShard = DefaultPerShard, DateTimeOffset? modified = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outDir);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        ArgumentOutOfRangeException.ThrowIfLessThan(perShard, 1);
        if (prefix.IndexOfAny(['/', '\\', '{', '}']) >= 0 || prefix.Contains("::"))
            throw new ArgumentException($"shard prefix '{prefix}' must be a plain file name (no '/', '\\', braces or '::')", nameof(prefix));
        _outDir = Path.GetFullPath(outDir);
        _prefix = prefix;
        _perShard = perShard;
        _modified = modified ?? TarWriter.DefaultModified;
        Directory.CreateDirectory(_outDir);
    }

    /// <summary>Writes all samples and the manifest; returns what was written.</summary>
    public static ShardWriterResult WriteAll(IEnumerable<RawSample> samples, string outDir, string prefix, int perShard = DefaultPerShard)
    {
        ArgumentNullException.ThrowIfNull(samples);
        using var writer = new ShardWriter(outDir, prefix, perShard);
        foreach (RawSample sample in samples) writer.Write(sample);
        return writer.Finish();
    }

    /// <summary>Appends one sample, starting a new shard when the current one is full.</summary>
    /// <exception cref="ArgumentException">The key is not tar-safe or repeats, or the image extension is not an image format.</exception>
    public void Write(RawSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (_finished) throw new InvalidOperationException("the writer is already finished");
        ValidateKey(sample.Key);
        if (!ImageSignature.IsImageExtension(sample.ImageExtension))
            throw new ArgumentException($"sample '{sample.Key}': image extension '{sample.ImageExtension}' is not one of {string.Join(", ", ImageSignature.Extensions)}", nameof(sample));
        var members = new List<(string Extension, byte[] Data)>
        {
            (sample.ImageExtension, sample.Image),
            ("txt", Encoding.UTF8.GetBytes(sample.Caption)),
        };
        if (sample.Json is not null) members.Add(("json", Encoding.UTF8.GetBytes(sample.Json)));
        WriteMembers(sample.Key, members);
    }

    /// <summary>
    /// Appends one sample given as its stored members — extension (the member name after the key's dot: <c>jpg</c>,
    /// <c>txt</c>, <c>json</c>, <c>seg.png</c>, …) and bytes, written unchanged as <c>{key}.{extension}</c> — so a
    /// subset of a dataset can be copied without decoding or re-encoding anything.
    /// </summary>
    /// <exception cref="ArgumentException">The key is not tar-safe or repeats, there are no members, or an extension is empty, repeats or holds '/', '\' or control characters.</exception>
    public void WriteMembers(string key, IReadOnlyList<(string Extension, byte[] Data)> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (_finished) throw new InvalidOperationException("the writer is already finished");
        ValidateKey(key);
        if (members.Count == 0) throw new ArgumentException($"sample '{key}' has no members", nameof(members));
        var extensions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (extension, data) in members)
        {
            ArgumentNullException.ThrowIfNull(data);
            if (string.IsNullOrEmpty(extension) || extension.IndexOfAny(['/', '\\']) >= 0 || extension.Any(char.IsControl))
                throw new ArgumentException($"sample '{key}': member extension '{extension}' must be non-empty, without '/', '\\' or control characters", nameof(members));
            if (!extensions.Add(extension)) throw new ArgumentException($"sample '{key}' has two members with extension '{extension}'", nameof(members));
        }
        if (!_keys.Add(key)) throw new ArgumentException($"sample key '{key}' occurs twice; keys must be unique", nameof(key));

        if (_tar is null) OpenShard();
        foreach (var (extension, data) in members.OrderBy(m => m.Extension, StringComparer.Ordinal)) _tar!.WriteFile($"{key}.{extension}", data);
        if (++_inShard == _perShard) CloseShard();
    }

    /// <summary>Completes the last shard and writes <c>manifest.json</c> atomically.</summary>
    public ShardWriterResult Finish()
    {
        if (!_finished)
        {
            CloseShard();
            _finished = true;
        }
        var manifest = new ShardManifest(_shards.Sum(s => s.Samples), _shards.ToList());
        string manifestPath = Path.Combine(_outDir, ShardManifest.FileName);
        manifest.Save(manifestPath);
        string pattern = _shards.Count == 0 ? ""
            : _shards.Count == 1 ? _paths[0]
            : Path.Combine(_outDir, $"{_prefix}-{{{0:D5}..{_shards.Count - 1:D5}}}.tar");
        return new ShardWriterResult(manifest, manifestPath, _paths.ToList(), pattern);
    }

    /// <summary>Discards an unfinished shard's temporary file (call <see cref="Finish"/> first to keep it).</summary>
    public void Dispose()
    {
        if (_tar is null) return;
        _tar.Dispose();
        _tar = null;
        _file = null;
        try { File.Delete(_tempPath!); } catch (IOException) { }
    }

    private static void ValidateKey(string key)
    {
        if (string.IsNullOrEmpty(key)) throw new ArgumentException("sample key is empty", nameof(key));
        if (key.IndexOfAny(['.', '/', '\\']) >= 0 || key.Any(char.IsControl))
            throw new ArgumentException($"sample key '{key}' is not tar-safe: it must not contain '.', '/', '\\' or control characters " +
                "(WebDataset cuts keys at the first dot); replace them, e.g. with '_'", nameof(key));
    }

    private string ShardName(int index) => $"{_prefix}-{index:D5}.tar";

    private void OpenShard()
    {
        string final = Path.Combine(_outDir, ShardName(_shards.Count));
        _tempPath = Path.Combine(_outDir, $".{Path.GetFileName(final)}.{Environment.ProcessId}.tmp");
        _file = new FileStream(_tempPath, FileMode.Create, FileAccess.Write, FileShare.None);
        _tar = new TarWriter(_file, _modified, leaveOpen: true);
        _inShard = 0;
    }

    private void CloseShard()
    {
        if (_tar is null) return;
        _tar.Finish();
        _file!.Flush(flushToDisk: true);
        _file.Dispose();
        _tar = null;
        _file = null;
        string final = Path.Combine(_outDir, ShardName(_shards.Count));
        File.Move(_tempPath!, final, overwrite: true);
        byte[] hash;
        using (var read = File.OpenRead(final)) hash = SHA256.HashData(read);
        _shards.Add(new ShardInfo(Path.GetFileName(final), _inShard, new FileInfo(final).Length, Convert.ToHexStringLower(hash)));
        _paths.Add(final);
    }
}
