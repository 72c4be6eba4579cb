using System.Text.Json.Nodes;
using ClipLab.Interop.Safetensors;

namespace ClipLab.Interop.OpenClip;

/// <summary>A ClipLab model's weights under open_clip's names, ready for <see cref="SafetensorsWriter"/>.</summary>
/// <param name="Tensors">The tensors, named and laid out as open_clip's state dict.</param>
/// <param name="Config">open_clip's model config for these weights.</param>
/// <param name="Omitted">ClipLab tensors left out, each with the reason.</param>
public sealed record OpenClipExport(IReadOnlyList<SafetensorsTensor> Tensors, JsonObject Config, IReadOnlyList<string> Omitted)
{
    /// <summary>Metadata key under which the export records its open_clip config, so an import needs no <c>--config</c>.</summary>
    public const string ConfigMetadataKey = "open_clip_config";

    /// <summary>The metadata written with the tensors: the PyTorch format marker and the config.</summary>
    public IReadOnlyDictionary<string, string> Metadata => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["format"] = "pt",
        [ConfigMetadataKey] = Config.ToJsonString(),
    };
}
