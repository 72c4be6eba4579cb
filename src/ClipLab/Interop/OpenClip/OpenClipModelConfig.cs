using System.Text.Json;
using System.Text.Json.Nodes;
using ClipLab.Models;

namespace ClipLab.Interop.OpenClip;

/// <summary>
/// Translates between ClipLab's <see cref="ClipModelConfig"/> and open_clip's model config JSON
/// (<c>embed_dim</c>, <c>vision_cfg</c>, <c>text_cfg</c>). Only what decides the weights' names, shapes and the forward
/// pass is translated; a setting ClipLab cannot reproduce is refused with one line naming it.
/// </summary>
public static class OpenClipModelConfig
{
    private const string ModelPrefix = "ClipLab.Interop.OpenClip.ModelConfigs.";

    // Keys that do not change the weights or the evaluated forward pass (training-time dropout, pretrained flags, outputs).
    private static readonly HashSet<string> NeutralVisionKeys = new(StringComparer.Ordinal)
    {
        "patch_dropout", "output_tokens", "timm_model_pretrained", "timm_drop", "timm_drop_path", "attn_pooler_queries", "attn_pooler_heads",
    };

    private static readonly HashSet<string> NeutralTextKeys = new(StringComparer.Ordinal)
    {
        "output_tokens", "hf_tokenizer_name", "tokenizer_kwargs", "tokenizer_mode", "tokenizer_type", "tiktoken_name",
    };

    // Keys that change the architecture, with the only value ClipLab reproduces (open_clip's default).
    private static readonly Dictionary<string, JsonNode?> FixedVisionKeys = new(StringComparer.Ordinal)
    {
        ["ls_init_value"] = null, ["attentional_pool"] = false, ["pos_embed_type"] = "learnable", ["final_ln_after_pool"] = false,
        ["act_kwargs"] = null, ["norm_kwargs"] = null, ["block_type"] = null, ["qk_norm"] = false, ["scaled_cosine_attn"] = false,
        ["scale_heads"] = false, ["scale_attn_inner"] = false, ["scale_attn"] = false, ["scale_fc"] = false, ["timm_proj"] = "linear",
        ["timm_proj_bias"] = false, ["image_seq_len"] = null,
    };

    private static readonly Dictionary<string, JsonNode?> FixedTextKeys = new(StringComparer.Ordinal)
    {
        ["text_arch"] = "clip", ["variable_text"] = false, ["ls_init_value"] = null, ["embed_cls"] = false, ["bos_id"] = null,
        ["no_causal_mask"] = false, ["final_ln_after_pool"] = false, ["proj_bias"] = false, ["proj_type"] = "linear", ["act_kwargs"] = null,
        ["norm_kwargs"] = null, ["block_type"] = null, ["qk_norm"] = false, ["scaled_cosine_attn"] = false, ["scale_heads"] = false,
        ["scale_attn_inner"] = false, ["scale_attn"] = false, ["scale_fc"] = false, ["hf_model_name"] = null,
    };

    /// <summary>The open_clip model names whose configs ClipLab ships (<c>--model</c> of <c>cliplab import</c>).</summary>
    public static IReadOnlyList<string> Names { get; } = typeof(OpenClipModelConfig).Assembly.GetManifestResourceNames()
        .Where(r => r.StartsWith(ModelPrefix, StringComparison.Ordinal))
        .Select(r => r[ModelPrefix.Length..^".json".Length])
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>The shipped open_clip config of <paramref name="name"/> (e.g. <c>ViT-B-32</c>), or null when none is shipped.</summary>
    public static JsonObject? Named(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        using var stream = typeof(OpenClipModelConfig).Assembly.GetManifestResourceStream(ModelPrefix + name + ".json");
        return stream is null ? null : JsonNode.Parse(stream)!.AsObject();
    }

    /// <summary>Parses an open_clip config file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">It is not a JSON object.</exception>
    public static JsonObject Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"open_clip config not found: {path}", path);
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new InvalidDataException($"{path} is not an open_clip model config (a JSON object with embed_dim, vision_cfg, text_cfg).");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>open_clip's config for a ClipLab model.</summary>
    /// <exception cref="InvalidOperationException">The model has a part open_clip cannot express; the message says which and why.</exception>
    public static JsonObject FromClipLab(ClipModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Vision.Channels != 3)
        {
            throw new InvalidOperationException($"the image tower takes {config.Vision.Channels}-channel images, but open_clip's towers take 3 channels.");
        }

        var json = new JsonObject
        {
            ["embed_dim"] = config.EmbedDim,
            ["vision_cfg"] = VisionFromClipLab(config.Vision),
            ["text_cfg"] = TextFromClipLab(config.Text),
        };
        if (config.InitLogitBias is double bias) json["init_logit_bias"] = bias;
        return json;
    }

    /// <summary>ClipLab's config for an open_clip config.</summary>
    /// <param name="json">The open_clip config.</param>
    /// <param name="source">Where it came from, for messages.</param>
    /// <exception cref="InvalidDataException">A setting is missing, malformed or not reproducible by ClipLab; the message names it.</exception>
    public static ClipModelConfig ToClipLab(JsonObject json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        CheckKeys(json, source, "", ["embed_dim", "vision_cfg", "text_cfg", "quick_gelu", "init_logit_bias", "init_logit_scale", "custom_text", "cast_dtype"],
            new Dictionary<string, JsonNode?>(StringComparer.Ordinal) { ["custom_text"] = false, ["cast_dtype"] = null });
        if (json["quick_gelu"] is JsonValue quick && quick.TryGetValue<bool>(out var isQuick) && isQuick)
        {
            throw new InvalidDataException($"{source}: quick_gelu: true is not reproducible: ClipLab's transformer blocks use exact GELU, so QuickGELU weights (OpenAI's originals, *-quickgelu configs) would give different outputs.");
        }

        var vision = json["vision_cfg"] as JsonObject ?? throw new InvalidDataException($"{source}: vision_cfg is missing or not an object.");
        var text = json["text_cfg"] as JsonObject ?? throw new InvalidDataException($"{source}: text_cfg is missing or not an object.");
        var config = new ClipModelConfig
        {
            EmbedDim = Int(json, "embed_dim", source, "", null),
            Vision = VisionToClipLab(vision, source),
            Text = TextToClipLab(text, source),
        };
        if (json["init_logit_bias"] is JsonValue bias) config = config with { InitLogitBias = bias.GetValue<double>() };
        try
        {
            config.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"{source}: the config translates to an invalid ClipLab model: {ex.Message}", ex);
        }

        return config;
    }

    private static JsonObject VisionFromClipLab(VisionTowerConfig vision) => vision switch
    {
        VisionTransformerConfig vit => new JsonObject
        {
            ["image_size"] = vit.ImageSize,
            ["layers"] = vit.Depth,
            ["width"] = vit.Width,
            ["patch_size"] = vit.PatchSize,
            ["head_width"] = vit.Width / vit.Heads,
            ["mlp_ratio"] = vit.MlpRatio,
            ["no_ln_pre"] = !vit.PreNorm,
            ["pool_type"] = vit.Pool == "mean" ? "avg" : "tok",
        },
        ModifiedResNetConfig rn => new JsonObject
        {
            ["image_size"] = rn.ImageSize,
            ["layers"] = new JsonArray(rn.Layers.Select(l => (JsonNode)l).ToArray()),
            ["width"] = rn.Width,
            ["head_width"] = rn.HeadWidth,
            ["patch_size"] = null,
        },
        ConvNextConfig cn => ConvNextFromClipLab(cn),
        _ => throw new InvalidOperationException(UnsupportedReason(vision)),
    };

    /// <summary>Why a tower family has no open_clip form (one line), for the families ClipLab does not map.</summary>
    public static string UnsupportedReason(VisionTowerConfig vision)
    {
        ArgumentNullException.ThrowIfNull(vision);
        var why = vision switch
        {
            ResNetConfig => "open_clip has no config for a torchvision-style ResNet tower (its RN50 is CLIP's modified ResNet: use clip-rn50)",
            SwinTransformerConfig => "open_clip reaches Swin only through arbitrary timm models, whose names ClipLab does not map",
            MlpMixerConfig => "open_clip ships no MLP-Mixer config and ClipLab does not map timm's Mixer names",
            _ => "ClipLab has no open_clip name map for it",
        };
        return $"the '{vision.Family}' image tower cannot be written under open_clip names: {why}. Mapped families: vit, modified-resnet, convnext.";
    }

    private static JsonObject ConvNextFromClipLab(ConvNextConfig cn)
    {
        var named = TimmConvNextVariants.All.FirstOrDefault(v => v.Value.Depths.SequenceEqual(cn.Depths) && v.Value.Dims.SequenceEqual(cn.Dims)).Key;
        var json = new JsonObject
        {
            ["timm_model_name"] = named ?? TimmConvNextVariants.BaseName,
            ["timm_model_pretrained"] = false,
            ["timm_pool"] = "",
            ["timm_proj"] = "linear",
            ["timm_drop_path"] = cn.DropPathRate,
            ["image_size"] = cn.ImageSize,
        };

        // Shapes timm has no name for are the base model with create_model overrides, which open_clip passes through.
        var overrides = new JsonObject();
        if (named is null)
        {
            overrides["depths"] = new JsonArray(cn.Depths.Select(d => (JsonNode)d).ToArray());
            overrides["dims"] = new JsonArray(cn.Dims.Select(d => (JsonNode)d).ToArray());
        }

        if (cn.PatchSize != TimmConvNextVariants.DefaultPatchSize) overrides["patch_size"] = cn.PatchSize;
        if (cn.KernelSize != TimmConvNextVariants.DefaultKernelSize) overrides["kernel_sizes"] = cn.KernelSize;
        if (cn.LayerScaleInit != TimmConvNextVariants.DefaultLayerScaleInit) overrides["ls_init_value"] = cn.LayerScaleInit > 0 ? cn.LayerScaleInit : null;
        if (overrides.Count > 0) json["timm_model_kwargs"] = overrides;
        return json;
    }

    private static JsonObject TextFromClipLab(TextTransformerConfig text)
    {
        var json = new JsonObject
        {
            ["context_length"] = text.ContextLength,
            ["vocab_size"] = text.VocabSize,
            ["width"] = text.Width,
            ["heads"] = text.Heads,
            ["layers"] = text.Depth,
            ["mlp_ratio"] = text.MlpRatio,
            ["pad_id"] = text.PadId,
        };

        // open_clip's default pools at the highest token id, which is the end-of-text only when that id is the vocabulary's last.
        if (text.EndOfTextId == text.VocabSize - 1)
        {
            json["pool_type"] = "argmax";
        }
        else
        {
            json["pool_type"] = "eos";
            json["eos_id"] = text.EndOfTextId;
        }

        return json;
    }

    private static VisionTowerConfig VisionToClipLab(JsonObject vision, string source)
    {
        const string where = "vision_cfg.";
        string[] known = ["image_size", "layers", "width", "head_width", "mlp_ratio", "patch_size", "no_ln_pre", "pool_type",
            "timm_model_name", "timm_pool", "timm_model_kwargs", .. NeutralVisionKeys, .. FixedVisionKeys.Keys];
        CheckKeys(vision, source, where, known, FixedVisionKeys);
        var imageSize = Int(vision, "image_size", source, where, 224);
        if (vision["timm_model_name"] is JsonValue timmName)
        {
            return ConvNextToClipLab(vision, timmName.GetValue<string>(), imageSize, source);
        }

        if (vision["layers"] is JsonArray layers)
        {
            var width = Int(vision, "width", source, where, 64);
            return new ModifiedResNetConfig
            {
                ImageSize = imageSize,
                Layers = layers.Select(l => l!.GetValue<int>()).ToArray(),
                WidthMultiplier = width / 64.0,
                HeadWidth = Int(vision, "head_width", source, where, 64),
            };
        }

        var vitWidth = Int(vision, "width", source, where, 768);
        var headWidth = Int(vision, "head_width", source, where, 64);
        var pool = Str(vision, "pool_type", "tok");
        return new VisionTransformerConfig
        {
            ImageSize = imageSize,
            PatchSize = Int(vision, "patch_size", source, where, 16),
            Width = vitWidth,
            Depth = Int(vision, "layers", source, where, 12),
            Heads = vitWidth / headWidth,
            MlpRatio = Double(vision, "mlp_ratio", 4.0),
            PreNorm = !(vision["no_ln_pre"]?.GetValue<bool>() ?? false),
            Pool = pool switch
            {
                "tok" => "token",
                "avg" => "mean",
                _ => throw new InvalidDataException($"{source}: vision_cfg.pool_type '{pool}' is not reproducible; ClipLab pools with 'tok' (class token) or 'avg' (mean of patch tokens)."),
            },
        };
    }

    private static ConvNextConfig ConvNextToClipLab(JsonObject vision, string name, int imageSize, string source)
    {
        var pool = Str(vision, "timm_pool", "avg");
        if (pool is not ("" or "avg"))
        {
            throw new InvalidDataException($"{source}: vision_cfg.timm_pool '{pool}' is not reproducible; ClipLab's ConvNeXt averages (timm_pool \"\" or \"avg\").");
        }

        var overrides = vision["timm_model_kwargs"] as JsonObject ?? [];
        CheckKeys(overrides, source, "vision_cfg.timm_model_kwargs.", ["depths", "dims", "patch_size", "kernel_sizes", "ls_init_value", "drop_path_rate"],
            new Dictionary<string, JsonNode?>(StringComparer.Ordinal));
        if (!TimmConvNextVariants.All.TryGetValue(name, out var variant))
        {
            throw new InvalidDataException(
                $"{source}: vision_cfg.timm_model_name '{name}' is not a timm model ClipLab builds; valid: {string.Join(", ", TimmConvNextVariants.All.Keys)}.");
        }

        var layerScale = overrides.ContainsKey("ls_init_value") ? overrides["ls_init_value"]?.GetValue<double>() ?? 0.0 : TimmConvNextVariants.DefaultLayerScaleInit;
        return new ConvNextConfig
        {
            ImageSize = imageSize,
            Depths = overrides["depths"] is JsonArray d ? d.Select(x => x!.GetValue<int>()).ToArray() : variant.Depths,
            Dims = overrides["dims"] is JsonArray w ? w.Select(x => x!.GetValue<int>()).ToArray() : variant.Dims,
            PatchSize = overrides["patch_size"]?.GetValue<int>() ?? TimmConvNextVariants.DefaultPatchSize,
            KernelSize = overrides["kernel_sizes"]?.GetValue<int>() ?? TimmConvNextVariants.DefaultKernelSize,
            LayerScaleInit = layerScale,
            DropPathRate = vision["timm_drop_path"]?.GetValue<double>() ?? 0.0,
        };
    }

    private static TextTransformerConfig TextToClipLab(JsonObject text, string source)
    {
        const string where = "text_cfg.";
        string[] known = ["context_length", "vocab_size", "width", "heads", "layers", "mlp_ratio", "pad_id", "eos_id", "pool_type", .. NeutralTextKeys, .. FixedTextKeys.Keys];
        CheckKeys(text, source, where, known, FixedTextKeys);
        var vocab = Int(text, "vocab_size", source, where, 49408);
        var pool = Str(text, "pool_type", "argmax");
        var endOfText = pool switch
        {
            // open_clip's tokenizer gives end-of-text the highest id, which is what argmax pooling finds.
            "argmax" => vocab - 1,
            "eos" => Int(text, "eos_id", source, where, null),
            _ => throw new InvalidDataException($"{source}: text_cfg.pool_type '{pool}' is not reproducible; ClipLab pools at the end-of-text token ('argmax' or 'eos')."),
        };
        return new TextTransformerConfig
        {
            VocabSize = vocab,
            ContextLength = Int(text, "context_length", source, where, 77),
            Width = Int(text, "width", source, where, 512),
            Heads = Int(text, "heads", source, where, 8),
            Depth = Int(text, "layers", source, where, 12),
            MlpRatio = Double(text, "mlp_ratio", 4.0),
            EndOfTextId = endOfText,
            PadId = Int(text, "pad_id", source, where, 0),
        };
    }

    private static void CheckKeys(JsonObject json, string source, string where, IReadOnlyCollection<string> known, IReadOnlyDictionary<string, JsonNode?> fixedValues)
    {
        foreach (var (key, value) in json)
        {
            if (!known.Contains(key))
            {
                throw new InvalidDataException($"{source}: {where}{key} is not a setting ClipLab reproduces; known: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
            }

            if (fixedValues.TryGetValue(key, out var required) && !JsonNode.DeepEquals(value, required))
            {
                throw new InvalidDataException(
                    $"{source}: {where}{key} = {value?.ToJsonString() ?? "null"} changes the architecture in a way ClipLab does not reproduce; only {required?.ToJsonString() ?? "null"} is supported.");
            }
        }
    }

    private static int Int(JsonObject json, string key, string source, string? where, int? fallback)
    {
        var node = json[key];
        if (node is null)
        {
            return fallback ?? throw new InvalidDataException($"{source}: {where}{key} is required.");
        }

        try
        {
            return node.GetValue<int>();
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"{source}: {where}{key} = {node.ToJsonString()} is not an integer.", ex);
        }
    }

    private static double Double(JsonObject json, string key, double fallback) => json[key]?.GetValue<double>() ?? fallback;

    private static string Str(JsonObject json, string key, string fallback) => json[key]?.GetValue<string>() ?? fallback;
}
