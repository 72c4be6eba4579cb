using System.Text.Json;

namespace ClipLab.Data.Quality;

/// <summary>
/// Everything that determines a score file's content: the scoring model, the image pipeline, the caption length,
/// the batch size (batch composition can move float sums in the last bits) and the parts in order. Saved parts are
/// reused only by a run with an equal identity, and a finished score file carries it in its metadata, so a rerun
/// of the same command knows there is nothing left to do.
/// </summary>
/// <param name="Model">The scoring model: checkpoint folder and step (or any name a library caller gives).</param>
/// <param name="Pipeline">Image pipeline spec the images went through.</param>
/// <param name="ContextLength">Tokens per caption.</param>
/// <param name="BatchSize">Pairs encoded per forward pass.</param>
/// <param name="Parts">The <see cref="ScoringPart.Name"/>s, in order.</param>
public sealed record ScoringIdentity(string Model, string Pipeline, int ContextLength, int BatchSize, IReadOnlyList<string> Parts)
{
    /// <summary>Metadata key of the identity in score files.</summary>
    public const string MetadataKey = "cliplab.scoring";

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The identity as JSON: two identities are equal when their JSON is.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);
}
