using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using ClipLab.IO;
using ClipLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Evaluation.Features;

/// <summary>
/// Computes the frozen image features of each labeled image set once per model and keeps them: in memory for
/// the rest of the evaluation (zero-shot, linear probe and few-shot share them), and — when a folder is given,
/// normally <c>eval-features/</c> inside the checkpoint folder — on disk, so evaluating the same checkpoint
/// again skips loading and embedding altogether.
/// </summary>
/// <remarks>
/// A disk entry is <c>{folder}/{cache key}.features</c> and is used only if it was made from the same model
/// weights (<see cref="ModelFingerprint"/>, a SHA-256 of every parameter and buffer) and the same recipe;
/// otherwise it is recomputed and overwritten. Labels are not part of an entry: sets that share a cache key and
/// recipe have the same pixels and may label them differently (emoji by group and by subgroup). Entries are written atomically. A folder that
/// cannot be written only disables the disk cache (reported through the log), never the evaluation.
/// Format: ASCII <c>CLFEAT01</c>, then with <see cref="BinaryWriter"/>: fingerprint and recipe strings, int32 N,
/// int32 E, N×E float32 features (little-endian).
/// </remarks>
public sealed class FeatureCache : IDisposable
{
    /// <summary>Name of the cache folder inside a checkpoint folder.</summary>
    public const string FolderName = "eval-features";

    /// <summary>File extension of a disk entry.</summary>
    public const string FileExtension = ".features";

    private static readonly byte[] Magic = "CLFEAT01"u8.ToArray();
    private readonly Func<Tensor, Tensor> _encode;
    private readonly Dictionary<string, (string Recipe, Tensor Features)> _memory = new(StringComparer.Ordinal);
    private readonly TextWriter _log;
    private long _encoded, _fromDisk, _fromMemory;
    private double _encodeSeconds;
    private bool _diskWritable = true;

    /// <summary>Creates a cache around any image encoder (for tests and other models).</summary>
    /// <param name="encode">Maps uint8 images [N, C, S, S] to float32 features [N, E]; the caller owns the result.</param>
    /// <param name="modelFingerprint">Identifies the encoder's weights; disk entries of other fingerprints are ignored.</param>
    /// <param name="directory">Disk cache folder, or null to cache in memory only.</param>
    /// <param name="log">Where to report disk-cache problems.</param>
    public FeatureCache(Func<Tensor, Tensor> encode, string modelFingerprint, string? directory, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(encode);
        ArgumentException.ThrowIfNullOrEmpty(modelFingerprint);
        _encode = encode;
        ModelFingerprint = modelFingerprint;
        Directory = directory is null ? null : Path.GetFullPath(directory);
        _log = log ?? TextWriter.Null;
    }

    /// <summary>A cache of <paramref name="model"/>'s unit-norm image embeddings, embedding <paramref name="batchSize"/> images per forward pass.</summary>
    public static FeatureCache ForModel(ClipModel model, int batchSize, string? directory, TextWriter? log = null) =>
        new(images => EmbeddingExtractor.Images(model, images, batchSize), Fingerprint(model), directory, log) { BatchSize = batchSize };

    /// <summary>Images loaded and encoded at a time: memory holds this many images, never a whole set.</summary>
    public int BatchSize
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, "must be positive");
    } = 256;

    /// <summary>Identifies the encoder's weights.</summary>
    public string ModelFingerprint { get; }

    /// <summary>Disk cache folder, or null.</summary>
    public string? Directory { get; }

    /// <summary>What the cache has done so far.</summary>
    public FeatureCacheStatistics Statistics => new(_encoded, _encodeSeconds, _fromDisk, _fromMemory);

    /// <summary>
    /// The features of <paramref name="set"/>: from memory, else from disk, else loaded and embedded (and stored).
    /// The cache owns the returned features tensor: it stays valid until the cache is disposed.
    /// </summary>
    /// <exception cref="ArgumentException">The cache key is not a safe relative name, or the loaded images do not match the labels.</exception>
    public FeatureSet Get(LabeledImageSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        ValidateKey(set.CacheKey);
        if (_memory.TryGetValue(set.CacheKey, out var held))
        {
            if (held.Recipe == set.Recipe && held.Features.shape[0] == set.Count)
            {
                _fromMemory += set.Count;
                return new FeatureSet(held.Features, set.Labels);
            }
            held.Features.Dispose();
            _memory.Remove(set.CacheKey);
        }

        var features = TryRead(set);
        if (features is not null)
        {
            _fromDisk += set.Count;
        }
        else
        {
            features = Compute(set);
            TryWrite(set, features);
        }
        _memory[set.CacheKey] = (set.Recipe, features);
        return new FeatureSet(features, set.Labels);
    }

    /// <summary>SHA-256 (hex) of every parameter and buffer of <paramref name="model"/>: names, shapes, types and values.</summary>
    public static string Fingerprint(ClipModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, tensor) in model.state_dict().OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes($"{name}:{tensor.dtype}:[{string.Join(",", tensor.shape)}];"));
            using var scope = torch.NewDisposeScope();
            // Values as float64 so that any parameter type hashes the same way.
            var values = tensor.detach().cpu().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
            sha.AppendData(MemoryMarshal.AsBytes(values.AsSpan()));
        }
        return Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
    }

    /// <summary>Path of the disk entry of <paramref name="cacheKey"/>, or null without a folder.</summary>
    public string? PathOf(string cacheKey) => Directory is null ? null : Path.Combine(Directory, cacheKey + FileExtension);

    private Tensor Compute(LabeledImageSet set)
    {
        var watch = Stopwatch.StartNew();
        var parts = new List<Tensor>();
        try
        {
            long loaded = 0;
            // One batch of pixels at a time: only the features of the whole set are kept.
            foreach (var batch in set.Batches(BatchSize))
            {
                using (batch)
                {
                    loaded += batch.shape[0];
                    if (loaded > set.Count) throw new ArgumentException($"image set '{set.CacheKey}' loaded more than {set.Count} images for {set.Count} labels");
                    var embedded = _encode(batch);
                    var part = embedded.dtype == ScalarType.Float32 ? embedded : ConvertAndDispose(embedded);
                    parts.Add(part);
                    if (part.dim() != 2 || part.shape[0] != batch.shape[0])
                        throw new ArgumentException($"the encoder returned [{string.Join(", ", part.shape)}] for {batch.shape[0]} images of '{set.CacheKey}'");
                }
            }
            if (loaded != set.Count || parts.Count == 0) throw new ArgumentException($"image set '{set.CacheKey}' loaded {loaded} images for {set.Count} labels");
            var features = parts.Count == 1 ? parts[0] : torch.cat(parts, 0);
            if (parts.Count == 1) parts.Clear();
            _encodeSeconds += watch.Elapsed.TotalSeconds;
            _encoded += set.Count;
            return features;
        }
        finally
        {
            foreach (var part in parts) part.Dispose();
        }
    }

    private static Tensor ConvertAndDispose(Tensor t)
    {
        using (t) return t.to_type(ScalarType.Float32);
    }

    private Tensor? TryRead(LabeledImageSet set)
    {
        string? path = PathOf(set.CacheKey);
        if (path is null || !File.Exists(path)) return null;
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) return null;
            if (reader.ReadString() != ModelFingerprint || reader.ReadString() != set.Recipe) return null;
            int n = reader.ReadInt32(), e = reader.ReadInt32();
            if (n != set.Count || e <= 0) return null;
            var values = new float[(long)n * e];
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
            return torch.tensor(values, new long[] { n, e });
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException or UnauthorizedAccessException or InvalidDataException)
        {
            _log.WriteLine($"Feature cache: ignoring unreadable {path} ({ex.Message}); recomputing.");
            return null;
        }
    }

    private void TryWrite(LabeledImageSet set, Tensor features)
    {
        string? path = PathOf(set.CacheKey);
        if (path is null || !_diskWritable) return;
        try
        {
            using var contiguous = features.contiguous();
            var values = contiguous.data<float>().ToArray();
            AtomicFile.Write(path, stream =>
            {
                using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
                writer.Write(Magic);
                writer.Write(ModelFingerprint);
                writer.Write(set.Recipe);
                writer.Write((int)features.shape[0]);
                writer.Write((int)features.shape[1]);
                writer.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Evaluation still works without the disk cache; say so once rather than failing the run.
            _diskWritable = false;
            _log.WriteLine($"Feature cache: cannot write under {Directory} ({ex.Message}); features are kept in memory only.");
        }
    }

    private static void ValidateKey(string key)
    {
        bool ok = key.Length > 0 && key.Split('/').All(part => part.Length > 0 && part != "." && part != ".." &&
            part.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'));
        if (!ok) throw new ArgumentException($"feature cache key '{key}' must be relative parts of letters, digits, '-', '_', '.' separated by '/'");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (_, features) in _memory.Values) features.Dispose();
        _memory.Clear();
    }
}
