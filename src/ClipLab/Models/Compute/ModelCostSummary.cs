using System.Text.Json.Serialization;

namespace ClipLab.Models.Compute;

/// <summary>
/// What <c>cliplab models</c> lists for one registry entry: its size and forward cost per sample.
/// </summary>
/// <remarks>
/// Towers are reported without their head (the projection to the embedding, or CLIP-ResNet's attention pool), as
/// timm's tables report trunks without the classifier, because the head depends on the CLIP model's embedding size.
/// CLIP models are reported whole: both towers with their heads, plus the learnable temperature.
/// </remarks>
/// <param name="Name">Registered name.</param>
/// <param name="Kind"><c>vision</c>, <c>text</c> or <c>clip</c>.</param>
/// <param name="Description">One-line description from the registry.</param>
/// <param name="Parameters">Parameter count.</param>
/// <param name="GMacs">Forward multiply–accumulates per sample, in billions (FLOPs = 2 × MACs).</param>
/// <param name="ImageSize">Input image side in pixels (vision towers and CLIP models).</param>
/// <param name="ContextLength">Caption length in tokens (text towers and CLIP models).</param>
/// <param name="TrainingGflopsPerSample">Training GFLOPs per image–text pair (CLIP models; 3 × forward).</param>
public sealed record ModelCostSummary(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("params")] long Parameters,
    [property: JsonPropertyName("gmacs")] double GMacs,
    [property: JsonPropertyName("image_size")] int? ImageSize,
    [property: JsonPropertyName("context_length")] int? ContextLength,
    [property: JsonPropertyName("train_gflops_per_sample")] double? TrainingGflopsPerSample)
{
    /// <summary>Summaries of every registry entry, in registration order.</summary>
    public static IReadOnlyList<ModelCostSummary> ForRegistry() => ModelRegistry.Entries.Select(Of).ToList();

    /// <summary>Summarises one registry entry.</summary>
    public static ModelCostSummary Of(ModelEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string kind = entry.Kind.ToString().ToLowerInvariant();
        switch (entry.Config)
        {
            case VisionTowerConfig vision:
            {
                // The head's size depends on the embedding; any width gives the same trunk.
                var cost = vision.Cost(embedDim: 1);
                return new(entry.Name, kind, entry.Description, cost.TrunkParameters, cost.TrunkMacs / 1e9, vision.ImageSize, null, null);
            }
            case TextTransformerConfig text:
            {
                var cost = text.Cost(embedDim: 1);
                return new(entry.Name, kind, entry.Description, cost.TrunkParameters, cost.TrunkMacs / 1e9, null, text.ContextLength, null);
            }
            case ClipModelConfig clip:
            {
                var image = clip.Vision.Cost(clip.EmbedDim);
                var text = clip.Text.Cost(clip.EmbedDim);
                long parameters = image.Parameters + text.Parameters + ClipModel.TemperatureParameters;
                return new(entry.Name, kind, entry.Description, parameters, (image.Macs + text.Macs) / 1e9, clip.Vision.ImageSize,
                    clip.Text.ContextLength, TrainingCompute.FlopsPerSample(image, text) / 1e9);
            }
            default:
                throw new ArgumentException($"registry entry {entry.Name} holds a {entry.Config.GetType().Name}, which has no cost model", nameof(entry));
        }
    }
}
