using System.Text.Json;
using ClipLab.Models;
using Xunit;

namespace ClipLab.Tests.Models;

/// <summary>The JSON round trip every tower family's config must survive, shared so each family's test adds only its own checks.</summary>
internal static class ClipConfigJson
{
    /// <summary>
    /// Serialises <paramref name="original"/> (camelCase as the web defaults, or .NET's PascalCase), reads it back, asserts the
    /// result equals the original and keeps the vision config's runtime type, and returns the JSON and the restored config.
    /// </summary>
    public static (string Json, ClipModelConfig Restored) RoundTrip(ClipModelConfig original, bool camelCase)
    {
        var options = camelCase ? new JsonSerializerOptions(JsonSerializerDefaults.Web) : new JsonSerializerOptions();
        var json = JsonSerializer.Serialize(original, options);
        var restored = JsonSerializer.Deserialize<ClipModelConfig>(json, options);
        Assert.NotNull(restored);
        Assert.Equal(original, restored);
        Assert.IsType(original.Vision.GetType(), restored.Vision);
        return (json, restored);
    }
}
