using System.Text.Json.Nodes;
using ClipLab.Configuration;
using ClipLab.Interop.Safetensors;
using ClipLab.Models;
using ClipLab.Text;
using ClipLab.Training;

namespace ClipLab.Interop.OpenClip;

/// <summary>What <see cref="ImportedRun.Write"/> produced.</summary>
/// <param name="CheckpointFolder">The checkpoint folder written (step 0).</param>
/// <param name="Config">The ClipLab model config of the imported weights.</param>
/// <param name="ConfigSource">Where the open_clip config came from (file, model name or the weights' metadata).</param>
/// <param name="TokenizerPath">The tokenizer model the run uses.</param>
/// <param name="Loaded">Number of tensors filled from the file.</param>
/// <param name="KeptInitial">ClipLab tensors left at their initial values, with reasons.</param>
/// <param name="Skipped">File tensors not used, with reasons.</param>
/// <param name="TimmLayout">Whether the file was a plain timm trunk.</param>
public sealed record ImportedRunResult(
    string CheckpointFolder, ClipModelConfig Config, string ConfigSource, string TokenizerPath, int Loaded,
    IReadOnlyList<string> KeptInitial, IReadOnlyList<string> Skipped, bool TimmLayout);

/// <summary>
/// Turns open_clip (or timm) safetensors weights into a ClipLab run folder that <c>cliplab eval</c> evaluates:
/// the model config comes from an open_clip config file, a model name or the weights' own metadata, and the text
/// tower must match the tokenizer (ClipLab reads SentencePiece models; open_clip's BPE vocabulary is not one).
/// </summary>
public static class ImportedRun
{
    /// <summary>Imports <paramref name="weightsPath"/> and writes a run folder at <paramref name="runDirectory"/>.</summary>
    /// <param name="weightsPath">The safetensors file.</param>
    /// <param name="configPath">An open_clip model config (bare, or the hub's <c>open_clip_config.json</c> with <c>model_cfg</c>), or null.</param>
    /// <param name="modelName">An open_clip model name ClipLab ships a config for (<see cref="OpenClipModelConfig.Names"/>) or a registered ClipLab CLIP model, or null.</param>
    /// <param name="tokenizerPath">A SentencePiece model matching the text tower, or null for ClipLab's shipped one.</param>
    /// <param name="visionOnly">Import only the image tower; the text tower starts fresh with the tokenizer's vocabulary.</param>
    /// <param name="runDirectory">The run folder to create; it must not hold a run yet.</param>
    /// <exception cref="InvalidDataException">The weights, config or tokenizer do not fit together; the message names the tensor or setting.</exception>
    /// <exception cref="ArgumentException">Conflicting or missing options.</exception>
    public static ImportedRunResult Write(string weightsPath, string? configPath, string? modelName, string? tokenizerPath, bool visionOnly, string runDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runDirectory);
        if (configPath is not null && modelName is not null)
        {
            throw new ArgumentException("pass either --config or --model, not both.");
        }

        if (Checkpoint.FindLatest(runDirectory) is not null)
        {
            throw new ArgumentException($"{runDirectory} already holds a run; choose a new --out folder.");
        }

        using var file = SafetensorsFile.Open(weightsPath);
        var (config, source) = ResolveConfig(file, configPath, modelName);
        var tokenizerConfig = new TokenizerConfig { Path = tokenizerPath, ContextLength = config.Text.ContextLength };
        var tokenizer = tokenizerConfig.Load();
        if (!visionOnly && (tokenizer.VocabSize != config.Text.VocabSize || tokenizer.EndOfTextId != config.Text.EndOfTextId))
        {
            throw new InvalidDataException(
                $"the weights' text tower has a {config.Text.VocabSize}-token vocabulary with end-of-text id {config.Text.EndOfTextId}, but the tokenizer " +
                $"{tokenizer.ModelPath} has {tokenizer.VocabSize} pieces with end-of-text id {tokenizer.EndOfTextId}. ClipLab reads SentencePiece models only, " +
                "not open_clip's BPE vocabulary: pass --tokenizer with a SentencePiece model that matches the weights, or --vision-only to import just the " +
                "image tower (linear probe and few-shot then evaluate it; zero-shot needs a trained text tower).");
        }

        var runConfig = new RunConfig { ModelConfig = config, Tokenizer = tokenizerConfig };
        var model = runConfig.ResolveModel(tokenizer);
        var import = OpenClipImporter.Import(file, model, visionOnly);
        using (import.Model)
        {
            var resolved = runConfig.Resolved(model);
            Directory.CreateDirectory(runDirectory);
            ConfigJson.Save(resolved, Path.Combine(runDirectory, Checkpoint.ConfigFile));
            var folder = Checkpoint.Save(runDirectory, resolved, import.Model, optimizer: null, new TrainingState(), keep: 1);
            return new ImportedRunResult(folder, model, source, tokenizer.ModelPath, import.Loaded, import.KeptInitial, import.Skipped, import.TimmLayout);
        }
    }

    /// <summary>
    /// The ClipLab config for <paramref name="file"/>: from <paramref name="configPath"/>, from <paramref name="modelName"/>,
    /// or from the open_clip config <c>cliplab export safetensors</c> records in the file's metadata.
    /// </summary>
    public static (ClipModelConfig Config, string Source) ResolveConfig(SafetensorsFile file, string? configPath, string? modelName)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (configPath is not null)
        {
            var json = OpenClipModelConfig.Load(configPath);
            // The hub's open_clip_config.json wraps the model config in model_cfg, next to preprocess_cfg.
            var model = json["model_cfg"] as JsonObject ?? json;
            return (OpenClipModelConfig.ToClipLab(model, configPath), configPath);
        }

        if (modelName is not null)
        {
            if (OpenClipModelConfig.Named(modelName) is { } named) return (OpenClipModelConfig.ToClipLab(named, modelName), $"open_clip {modelName}");
            if (ModelRegistry.Entries.Any(e => e.Kind == ModelKind.Clip && e.Name == modelName)) return (ModelRegistry.GetClip(modelName), $"ClipLab {modelName}");
            throw new ArgumentException(
                $"unknown --model '{modelName}'. Valid: open_clip {string.Join(", ", OpenClipModelConfig.Names)}, or a ClipLab CLIP model (see `cliplab models --kind clip`).");
        }

        if (file.Metadata.TryGetValue(OpenClipExport.ConfigMetadataKey, out var recorded))
        {
            var json = JsonNode.Parse(recorded) as JsonObject ?? throw new InvalidDataException($"{file.Path}: its {OpenClipExport.ConfigMetadataKey} metadata is not a JSON object.");
            return (OpenClipModelConfig.ToClipLab(json, $"{file.Path} metadata"), $"{file.Path} metadata");
        }

        throw new ArgumentException(
            $"{file.Path} does not record its model config: pass --config open_clip_config.json (shipped with the weights) or --model NAME " +
            $"(open_clip {string.Join(", ", OpenClipModelConfig.Names)}, or a ClipLab CLIP model).");
    }
}
