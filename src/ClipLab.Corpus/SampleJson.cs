using System.Text.Encodings.Web;
using System.Text.Json;

namespace ClipLab.Corpus;

/// <summary>Serialises sample metadata compactly, keeping non-ASCII text readable (captions in shards are inspected by people).</summary>
internal static class SampleJson
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The JSON text of <paramref name="metadata"/> (an anonymous object or dictionary).</summary>
    public static string Serialize<T>(T metadata) => JsonSerializer.Serialize(metadata, Options);
}
