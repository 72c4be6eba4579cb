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

    /// <summary>Writes a checkpoint of step <paramref name="state"/>.Step and returns its folder.</summary>
    /// <exception cref="IOException">Writing failed (e.g. the disk is full); earlier checkpoints are intact.</exception>
    public static string Save(string runDirectory, RunConfig config, ClipModel model, AdamW optimizer, TrainingState state, int keep)
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
            using (var stream = File.Create(Path.Combine(temp, ModelFile)))
            using (var writer = new BinaryWriter(stream))
            {
                model.save(writer);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            using (var stream = File.Create(Path.Combine(temp, OptimizerFile)))
            using (var writer = new BinaryWriter(stream))
            {
                optimizer.Save(writer);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.WriteAllText(Path.Combine(temp, StateFile), JsonSerializer.Serialize(state, ConfigJson.Options));
            File.WriteAllText(Path.Combine(temp, ConfigFile), ConfigJson.Serialize(config));
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
        if (File.Exists(Path.Combine(directory, StateFile)) && File.Exists(Path.Combine(directory, ModelFile)))
            return directory;
        string root = Folder(directory);
        string latest = Path.Combine(root, LatestFile);
        if (File.Exists(latest))
        {
            var pointer = JsonSerializer.Deserialize<LatestPointer>(File.ReadAllText(latest));
            string candidate = Path.Combine(root, pointer!.Name);
            if (Directory.Exists(candidate)) return candidate;
        }
        // latest.json may be missing if the process died between the rename and the pointer update.
        if (!Directory.Exists(root)) return null;
        return Directory.GetDirectories(root, "step-*").Order(StringComparer.Ordinal).LastOrDefault();
    }

    /// <summary>Reads the run config stored in a checkpoint folder.</summary>
    public static RunConfig LoadConfig(string checkpointDirectory) =>
        ConfigJson.Load<RunConfig>(Path.Combine(checkpointDirectory, ConfigFile));

    /// <summary>Reads the training state stored in a checkpoint folder.</summary>
    public static TrainingState LoadState(string checkpointDirectory) =>
        JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(Path.Combine(checkpointDirectory, StateFile)), ConfigJson.Options)
        ?? throw new InvalidDataException($"{checkpointDirectory}/{StateFile} is empty");

    /// <summary>Loads weights (and, when given, optimizer state) from a checkpoint folder into existing objects.</summary>
    public static void LoadInto(string checkpointDirectory, ClipModel model, AdamW? optimizer)
    {
        LoadWeights(Path.Combine(checkpointDirectory, ModelFile), model);
        if (optimizer is null) return;
        using var stream = File.OpenRead(Path.Combine(checkpointDirectory, OptimizerFile));
        using var reader = new BinaryReader(stream);
        optimizer.Load(reader);
    }

    /// <summary>
    /// Loads weights into <paramref name="model"/> wherever it lives: directly on the CPU; for a model on a GPU through a
    /// CPU model of the same config (TorchSharp reads tensors into CPU memory), whose values are then copied across.
    /// </summary>
    private static void LoadWeights(string path, ClipModel model)
    {
        if (ModelPlacement.DeviceOf(model).type == DeviceType.CPU)
        {
            model.load(path, strict: true);
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
            staging.load(path, strict: true);
            using var noGrad = torch.no_grad();
            var source = staging.state_dict();
            foreach (var (name, target) in model.state_dict()) target.copy_(source[name]);
        }
    }

    /// <summary>
    /// Loads a trained model for evaluation or further use from a run folder (its latest checkpoint) or a
    /// checkpoint folder. The caller owns the returned model.
    /// </summary>
    /// <exception cref="FileNotFoundException">No checkpoint is there.</exception>
    public static (RunConfig Config, ClipTokenizer Tokenizer, ClipModel Model, string Folder) LoadTrained(string directory)
    {
        string folder = FindLatest(directory)
            ?? throw new FileNotFoundException($"no checkpoint in {directory}: pass a run folder written by `cliplab train`/`cliplab demo` or one of its checkpoints/step-* folders.");
        var config = LoadConfig(folder);
        var tokenizer = config.Tokenizer.Load();
        var model = ModelRegistry.Create(config.ResolveModel(tokenizer));
        LoadInto(folder, model, optimizer: null);
        return (config, tokenizer, model, folder);
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

    private sealed record LatestPointer(string Name, long Step);
}
