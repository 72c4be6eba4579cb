using System.Text.Json;
using ClipLab.Configuration;
using ClipLab.IO;
using ClipLab.Models;
using ClipLab.Runtime;
using ClipLab.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Training;

/// <summary>
/// A checkpoint folder (<c>checkpoints/step-00000500/</c>) holding the model weights, the optimizer state,
/// the training state and the resolved run config. It is written under a temporary name and renamed into
/// place only when complete, and <c>checkpoints/latest.json</c> is switched atomically afterwards, so a
/// process killed at any moment leaves the previous checkpoint usable.
/// </summary>
public static class Checkpoint
{
    /// <summary>Weights file inside a checkpoint folder.</summary>
    public const string ModelFile = "model.bin";
    /// <summary>Optimizer state file inside a checkpoint folder.</summary>
    public const string OptimizerFile = "optimizer.bin";
    /// <summary>Training state file inside a checkpoint folder.</summary>
    public const string StateFile = "state.json";
    /// <summary>Resolved run config inside a checkpoint folder and a run folder.</summary>
    public const string ConfigFile = "config.json";
    private const string LatestFile = "latest.json";

    /// <summary>The checkpoints folder of a run folder.</summary>
    public static string Folder(string runDirectory) => Path.Combine(runDirectory, "checkpoints");

    /// <summary>
    /// Writes a checkpoint of step <paramref name="state"/>.Step and returns its folder. Without an
    /// <paramref name="optimizer"/> (weights brought in by <c>cliplab import</c>) it holds no optimizer state, so it can be
    /// evaluated but not resumed.
    /// </summary>
    /// <exception cref="IOException">Writing failed (e.g. the disk is full); earlier checkpoints are intact.</exception>
    public static string Save(string runDirectory, RunConfig config, ClipModel model, IOptimizer? optimizer, TrainingState state, int keep)
    {
        string root = Folder(runDirectory);
        Directory.CreateDirectory(root);
        string name = $"step-{state.Step:D8}";
        string final = Path.Combine(root, name);
        string temp = Path.Combine(root, $".{name}.tmp");
        try
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            Directory.CreateDirectory(temp);
            AtomicFile.WriteDurably(Path.Combine(temp, ModelFile), stream =>
            {
                using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
                model.save(writer);
            });
            if (optimizer is not null)
                AtomicFile.WriteDurably(Path.Combine(temp, OptimizerFile), stream =>
                {
                    using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
                    optimizer.Save(writer);
                });
            AtomicFile.WriteDurably(Path.Combine(temp, StateFile), JsonSerializer.Serialize(state, ConfigJson.Options));
            AtomicFile.WriteDurably(Path.Combine(temp, ConfigFile), ConfigJson.Serialize(config));
            // The manifest is written last: a folder holding one holds every file it lists, as they were saved.
            var manifest = CheckpointManifest.Describe(temp, optimizer is null ? [ModelFile, StateFile, ConfigFile] : [ModelFile, OptimizerFile, StateFile, ConfigFile]);
            AtomicFile.WriteDurably(Path.Combine(temp, CheckpointManifest.FileName), JsonSerializer.Serialize(manifest, ConfigJson.Options));
            if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
            Directory.Move(temp, final);
        }
        catch (IOException ex)
        {
            TryDeleteDirectory(temp);
            throw new IOException($"could not write checkpoint {final}: {ex.Message}. Free disk space and resume with --resume {runDirectory}; the previous checkpoint is intact.", ex);
        }
        AtomicFile.WriteAllText(Path.Combine(root, LatestFile), JsonSerializer.Serialize(new LatestPointer(name, state.Step)));
        Prune(root, keep, name);
        return final;
    }

    /// <summary>
    /// The newest complete checkpoint folder of a run folder, or null when it has none. Accepts a checkpoint
    /// folder itself too.
    /// </summary>
    public static string? FindLatest(string directory)
    {
        // A checkpoint folder with a file missing is still one: loading it then names what is missing.
        if (new[] { CheckpointManifest.FileName, StateFile, ModelFile }.Any(name => File.Exists(Path.Combine(directory, name))))
            return directory;
        string root = Folder(directory);
        if (ReadLatestPointer(root) is string name && Directory.Exists(Path.Combine(root, name)))
            return Path.Combine(root, name);
        // latest.json may be missing if the process died between the rename and the pointer update.
        if (!Directory.Exists(root)) return null;
        return Directory.GetDirectories(root, "step-*").Order(StringComparer.Ordinal).LastOrDefault();
    }

    /// <summary>The complete checkpoint folders of a run folder with their steps, oldest first.</summary>
    public static IReadOnlyList<(string Folder, long Step)> List(string runDirectory)
    {
        string root = Folder(runDirectory);
        if (!Directory.Exists(root)) return [];
        return Directory.GetDirectories(root, "step-*").Order(StringComparer.Ordinal)
            .Select(folder => (folder, Step: long.TryParse(Path.GetFileName(folder)["step-".Length..], out long step) ? step : -1))
            .Where(c => c.Step >= 0).ToList();
    }

    /// <summary>
    /// Checks that a checkpoint folder is complete and undamaged before it is loaded: against its manifest (sizes and
    /// SHA-256), or, for a checkpoint written before manifests, that its files are there.
    /// <paramref name="forTraining"/> also requires the optimizer state.
    /// </summary>
    /// <exception cref="CorruptCheckpointException">A file is missing, truncated or damaged.</exception>
    public static void Verify(string checkpointDirectory, bool forTraining)
    {
        if (Problem(checkpointDirectory, forTraining) is { } problem)
            throw new CorruptCheckpointException(checkpointDirectory, problem.File, problem.Problem);
    }

    /// <summary>Reads the run config stored in a checkpoint folder.</summary>
    /// <exception cref="CorruptCheckpointException">The file is missing or not a valid config.</exception>
    public static RunConfig LoadConfig(string checkpointDirectory) =>
        Read(checkpointDirectory, ConfigFile, path => ConfigJson.Load<RunConfig>(path));

    /// <summary>Reads the training state stored in a checkpoint folder.</summary>
    /// <exception cref="CorruptCheckpointException">The file is missing or not valid JSON.</exception>
    public static TrainingState LoadState(string checkpointDirectory) =>
        Read(checkpointDirectory, StateFile, path => JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(path), ConfigJson.Options)
            ?? throw new InvalidDataException("it holds null"));

    /// <summary>Loads weights (and, when given, optimizer state) from a checkpoint folder into existing objects.</summary>
    /// <exception cref="CorruptCheckpointException">A file is missing, truncated or does not fit the model.</exception>
    public static void LoadInto(string checkpointDirectory, ClipModel model, IOptimizer? optimizer)
    {
        Read(checkpointDirectory, ModelFile, path => { LoadWeights(path, model); return model; });
        if (optimizer is null) return;
        // A checkpoint written without optimizer state (cliplab import) lists no optimizer file in its manifest, if it has one.
        string manifestPath = Path.Combine(checkpointDirectory, CheckpointManifest.FileName);
        if (!File.Exists(Path.Combine(checkpointDirectory, OptimizerFile))
            && (!File.Exists(manifestPath) || !File.ReadAllText(manifestPath).Contains(OptimizerFile, StringComparison.Ordinal)))
            throw new InvalidDataException($"{checkpointDirectory} holds weights without optimizer state (imported with `cliplab import`), so training cannot resume from it; evaluate it with `cliplab eval`, or train a new run.");
        Read(checkpointDirectory, OptimizerFile, path =>
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream);
            optimizer.Load(reader);
            return optimizer;
        });
    }

    /// <summary>
    /// Loads weights into <paramref name="model"/> wherever it lives: directly on the CPU; for a model on a GPU through a
    /// CPU model of the same config (TorchSharp reads tensors into CPU memory), whose values are then copied across.
    /// </summary>
    private static void LoadWeights(string path, ClipModel model)
    {
        if (ModelPlacement.DeviceOf(model).type == DeviceType.CPU)
        {
            LoadStrict(path, model);
            return;
        }
        ClipModel staging;
        // The staging model's random initialisation is overwritten at once; keep the run's random stream untouched.
        using (var rng = torch.get_rng_state())
        {
            staging = ModelRegistry.Create(model.Config);
            torch.set_rng_state(rng);
        }
        using (staging)
        {
            LoadStrict(path, staging);
            using var noGrad = torch.no_grad();
            var source = staging.state_dict();
            foreach (var (name, target) in model.state_dict()) target.copy_(source[name]);
        }
    }

    /// <summary>
    /// Loads every tensor of <paramref name="path"/> into <paramref name="model"/>, names and shapes matching exactly. A
    /// checkpoint whose SLIP head still has its former layout (fed the projected embedding) is named as such, in one line
    /// that escapes the corrupt-file wrapping: the file is intact, it is this version that no longer reads it.
    /// </summary>
    private static void LoadStrict(string path, ClipModel model)
    {
        try
        {
            model.load(path, strict: true);
        }
        catch (ArgumentException ex) when (ex.Message.Contains($"'{SimClrHead.FormerFirstLayerKey}", StringComparison.Ordinal))
        {
            throw new NotSupportedException(
                $"{Path.GetDirectoryName(path)} is a SLIP checkpoint from before the SimCLR head moved onto the vision trunk's features " +
                "(its head reads the projected embedding, as SLIP's code does not); this version cannot load it: retrain the SLIP run.", ex);
        }
    }

    /// <summary>
    /// Loads a trained model for evaluation or further use from a run folder (its latest checkpoint) or a
    /// checkpoint folder. The caller owns the returned model.
    /// </summary>
    /// <exception cref="FileNotFoundException">No checkpoint is there.</exception>
    /// <exception cref="CorruptCheckpointException">The checkpoint is incomplete or damaged.</exception>
    public static (RunConfig Config, ClipTokenizer Tokenizer, ClipModel Model, string Folder) LoadTrained(string directory)
    {
        string folder = FindLatest(directory)
            ?? throw new FileNotFoundException($"no checkpoint in {directory}: pass a run folder written by `cliplab train`/`cliplab demo` or one of its checkpoints/step-* folders.");
        Verify(folder, forTraining: false);
        var config = LoadConfig(folder);
        var tokenizer = config.Tokenizer.Load();
        var model = ModelRegistry.Create(config.ResolveModel(tokenizer));
        try
        {
            LoadInto(folder, model, optimizer: null);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return (config, tokenizer, model, folder);
    }

    /// <summary>
    /// What to do about a damaged checkpoint, as one sentence: the newest earlier checkpoint beside it that is intact and
    /// how to continue from it or evaluate it, or that none is kept.
    /// </summary>
    public static string RecoveryAdvice(string checkpointDirectory)
    {
        string full = Path.GetFullPath(checkpointDirectory).TrimEnd(Path.DirectorySeparatorChar);
        string root = Path.GetDirectoryName(full)!;
        string name = Path.GetFileName(full);
        string runDirectory = Path.GetDirectoryName(root)!;
        string? previous = Directory.Exists(root)
            ? Directory.GetDirectories(root, "step-*").Select(Path.GetFileName)
                .Where(n => string.CompareOrdinal(n, name) < 0).Order(StringComparer.Ordinal).Reverse()
                .Select(n => Path.Combine(root, n!)).FirstOrDefault(folder => Problem(folder, forTraining: true) is null)
            : null;
        if (previous is null)
            return $"No intact earlier checkpoint is kept in {root}: start the run again in a new --out folder.";
        return $"The previous checkpoint {previous} is intact: delete {full} and run `cliplab train --resume {runDirectory}` to continue " +
               $"from it, or evaluate it with `cliplab eval --checkpoint {previous}`.";
    }

    /// <summary>Encodes libtorch's generator state for <see cref="TrainingState.TorchRngState"/>.</summary>
    public static string CaptureRngState()
    {
        using var state = torch.get_rng_state();
        return Convert.ToBase64String(state.data<byte>().ToArray());
    }

    /// <summary>Restores libtorch's generator state captured by <see cref="CaptureRngState"/>.</summary>
    public static void RestoreRngState(string encoded)
    {
        if (string.IsNullOrEmpty(encoded)) return;
        using var state = torch.tensor(Convert.FromBase64String(encoded), ScalarType.Byte);
        torch.set_rng_state(state);
    }

    private static void Prune(string root, int keep, string newest)
    {
        var complete = Directory.GetDirectories(root, "step-*").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        foreach (var old in complete.Take(Math.Max(0, complete.Count - keep)))
            if (old != newest) TryDeleteDirectory(Path.Combine(root, old!));
    }

    private static void TryDeleteDirectory(string path)
    {
        try { if (Directory.Exists(path)) Directory.Delete(path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static CheckpointProblem? Problem(string checkpointDirectory, bool forTraining) =>
        CheckpointManifest.Check(checkpointDirectory,
            forTraining ? [ModelFile, OptimizerFile, StateFile, ConfigFile] : [ModelFile, StateFile, ConfigFile]);

    /// <summary>
    /// Reads one file of a checkpoint with <paramref name="read"/>, turning whatever a damaged file makes the reader
    /// throw (end of stream, bad JSON, a tensor of the wrong shape) into one message that names the file.
    /// </summary>
    private static T Read<T>(string checkpointDirectory, string file, Func<string, T> read)
    {
        string path = Path.Combine(checkpointDirectory, file);
        if (!File.Exists(path)) throw new CorruptCheckpointException(checkpointDirectory, file, "is missing");
        try
        {
            return read(path);
        }
        catch (EndOfStreamException ex)
        {
            throw new CorruptCheckpointException(checkpointDirectory, file, "is truncated (it ends before its last tensor)", ex);
        }
        catch (Exception ex) when (ex is JsonException or ConfigException or InvalidDataException or IOException or ArgumentException
                                       or FormatException or InvalidOperationException or System.Runtime.InteropServices.ExternalException)
        {
            throw new CorruptCheckpointException(checkpointDirectory, file, $"cannot be read ({ex.Message.Split(Environment.NewLine)[0]})", ex);
        }
    }

    /// <summary>The checkpoint latest.json names, or null when it is missing or unreadable (the folders are then listed instead).</summary>
    private static string? ReadLatestPointer(string root)
    {
        string path = Path.Combine(root, LatestFile);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<LatestPointer>(File.ReadAllText(path))?.Name;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record LatestPointer(string Name, long Step);
}
