using ClipLab.Models;

namespace ClipLab.Interop.Onnx;

/// <summary>
/// The vision tower families the ONNX exporter writes, each with its writer: towers [B, C, H, W] → features [B, OutputDim].
/// Adding a family is one entry here and one writer file.
/// </summary>
internal static class VisionTowerExport
{
    private delegate string Writer(OnnxGraph graph, VisionTower tower, string path, string images);

    private static readonly (Type Tower, string Family, Writer Write)[] Writers =
    [
        (typeof(VisionTransformer), "vit", (g, t, p, x) => VisionTransformerExport.Write(g, (VisionTransformer)t, p, x)),
        (typeof(ResNet), "resnet", (g, t, p, x) => ResNetExport.Write(g, (ResNet)t, p, x)),
        (typeof(ModifiedResNet), "modified-resnet", (g, t, p, x) => ResNetExport.Write(g, (ModifiedResNet)t, p, x)),
        (typeof(ConvNext), "convnext", (g, t, p, x) => ConvNextExport.Write(g, (ConvNext)t, p, x)),
        (typeof(MlpMixer), "mixer", (g, t, p, x) => MlpMixerExport.Write(g, (MlpMixer)t, p, x)),
    ];

    /// <summary>The families that export, comma-separated, for messages.</summary>
    public static string SupportedFamilies => string.Join(", ", Writers.Select(w => w.Family));

    /// <summary>Throws <see cref="NotSupportedException"/> (one line naming the supported families) unless <paramref name="tower"/> exports.</summary>
    public static void CheckSupported(VisionTower tower, string family) => Find(tower, family);

    /// <summary>Appends <paramref name="tower"/> at <paramref name="path"/> to <paramref name="graph"/>; returns its features.</summary>
    public static string Write(OnnxGraph graph, VisionTower tower, string family, string path, string images) =>
        Find(tower, family)(graph, tower, path, images);

    private static Writer Find(VisionTower tower, string family) =>
        Writers.FirstOrDefault(w => w.Tower == tower.GetType()).Write
        ?? throw new NotSupportedException($"ONNX export does not cover {family} image towers yet; it covers {SupportedFamilies}.");
}
