using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClipLab.Models;

/// <summary>
/// A model file: one CLIP model to register by name (<see cref="ModelRegistry.RegisterFile"/>), e.g.
/// <c>{"name": "clip-vit-pico-p4-32", "description": "...", "model": { "vision": {"type": "vit", ...}, "text": {...}, "embedDim": 64 }}</c>.
/// <c>model</c> is written exactly as a run config's <c>modelConfig</c>.
/// </summary>
public sealed record ModelFile
{
    // Config-file conventions: camelCase, comments and trailing commas allowed, unknown keys refused.
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Registry name of the CLIP model.</summary>
    public required string Name { get; init; }

    /// <summary>One-line description for <c>cliplab models</c>; null uses the file name.</summary>
    public string? Description { get; init; }

    /// <summary>The model, as a run config's <c>modelConfig</c>.</summary>
    public required ClipModelConfig Model { get; init; }

    /// <summary>Reads a model file.</summary>
    /// <exception cref="InvalidDataException">The file is missing or not a model file; the message names the file and the problem.</exception>
    public static ModelFile Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new InvalidDataException($"model file not found: {path}");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Reads a model file's JSON text; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The text is not a model file; the message names the problem and where it is.</exception>
    public static ModelFile Parse(string json, string source = "model file")
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<ModelFile>(json, Options) ?? throw new InvalidDataException($"{source} is empty (null).");
        }
        catch (JsonException ex)
        {
            string at = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "" : $" at '{ex.Path.TrimStart('$', '.')}'";
            throw new InvalidDataException(
                $"{source} is not a model file{at}: {ex.Message.Split(" Path:")[0]} Expected {{\"name\": ..., \"description\": ..., \"model\": {{\"vision\": ..., \"text\": ..., \"embedDim\": ...}}}}.", ex);
        }
    }
}
