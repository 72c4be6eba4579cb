using ClipLab.Interop.Safetensors;
using ClipLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Interop.OpenClip;

/// <summary>
/// Reads open_clip (or, for ConvNeXt image towers, plain timm) weights from a safetensors file into a ClipLab model.
/// Every ClipLab tensor must find its open_clip counterpart with the right shape, and every file tensor must be used
/// (or be one the name map lists as ignorable); anything else is an error naming the tensor.
/// </summary>
public static class OpenClipImporter
{
    /// <summary>Builds a model from <paramref name="config"/> and fills it from <paramref name="file"/>.</summary>
    /// <param name="file">The open safetensors file.</param>
    /// <param name="config">The ClipLab config the weights were made for (see <see cref="OpenClipModelConfig.ToClipLab"/>).</param>
    /// <param name="visionOnly">Import only the image tower; the text tower and temperature keep their initial values.</param>
    /// <exception cref="InvalidDataException">A wrong architecture, a missing tensor, a shape mismatch or an unexpected tensor; the message names it.</exception>
    /// <exception cref="InvalidOperationException">The config's image tower has no open_clip names.</exception>
    public static OpenClipImport Import(SafetensorsFile file, ClipModelConfig config, bool visionOnly)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(config);
        var map = OpenClipNames.For(config.Vision);
        var family = config.Vision.Family;

        // A file without open_clip's 'visual.' prefix is a bare timm trunk; open_clip would see it under visual.trunk.
        var timm = !file.Entries.Any(e => e.Name.StartsWith("visual.", StringComparison.Ordinal));
        if (timm && !OpenClipNames.TimmFamilies.Contains(family))
        {
            throw new InvalidDataException(
                $"{file.Path} has no 'visual.*' tensors, so it is not an open_clip state dict; plain timm files are read only for {string.Join(", ", OpenClipNames.TimmFamilies)} towers, and the config describes a '{family}' tower.");
        }

        var prefix = timm ? OpenClipNames.TimmTrunkPrefix : "";
        var entries = file.Entries.ToDictionary(e => prefix + e.Name, StringComparer.Ordinal);
        CheckArchitecture(file.Path, family, entries.Keys, prefix);

        var model = ModelRegistry.Create(config);
        try
        {
            var (loaded, kept) = Fill(model, file, entries, map, visionOnly || timm, timm);
            var skipped = new List<string>();
            foreach (var name in entries.Keys.Where(n => !loaded.Contains(n)))
            {
                var original = name[prefix.Length..];
                if (map.IgnoreReason(name) is { } reason)
                {
                    skipped.Add($"{original}: {reason}");
                }
                else if (visionOnly && !name.StartsWith("visual.", StringComparison.Ordinal))
                {
                    skipped.Add($"{original}: not part of the image tower (vision-only import)");
                }
                else
                {
                    var extra = entries.Keys.Count(n => !loaded.Contains(n) && map.IgnoreReason(n) is null) - 1;
                    throw new InvalidDataException(
                        $"{file.Path}: tensor '{original}' has no place in a ClipLab '{family}' model built from this config{(extra > 0 ? $" (nor do {extra} more)" : "")}; " +
                        "the file holds a different architecture or size: pass the config that came with the weights.");
                }
            }

            return new OpenClipImport(model, loaded.Count, kept, skipped, timm);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static void CheckArchitecture(string path, string family, IEnumerable<string> names, string prefix)
    {
        var found = OpenClipNames.Recognise(names);
        if (found.Count > 0 && !found.Any(f => f.Family == family))
        {
            var (other, evidence) = found[0];
            throw new InvalidDataException(
                $"{path} holds a '{other}' image tower (tensor '{evidence[prefix.Length..]}'), but the config describes a '{family}' tower: wrong architecture; pass the config that came with the weights.");
        }
    }

    private static (HashSet<string> Loaded, List<string> Kept) Fill(
        ClipModel model, SafetensorsFile file, Dictionary<string, SafetensorsEntry> entries, StateDictNames.StateDictNameMap map, bool visionOnly, bool timm)
    {
        var prefix = timm ? OpenClipNames.TimmTrunkPrefix : "";
        var loaded = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<string>();
        using var noGrad = torch.no_grad();
        foreach (var (name, target) in model.state_dict())
        {
            if (map.OmitReason(name) is { } omitted)
            {
                kept.Add($"{name}: {omitted}");
                continue;
            }

            if (visionOnly && !name.StartsWith("visual.", StringComparison.Ordinal))
            {
                kept.Add($"{name}: not in the file (vision-only import), keeps its initial value");
                continue;
            }

            var (other, transform) = map.ToOther(name)
                ?? throw new InvalidOperationException($"ClipLab tensor '{name}' has no open_clip name in the {map.Name} name map.");
            if (timm && !other.StartsWith(prefix, StringComparison.Ordinal))
            {
                kept.Add($"{name}: open_clip's {other} is not part of a timm trunk, keeps its initial value");
                continue;
            }

            var shown = other[prefix.Length..];
            var expected = Layout.Apply(target.shape, transform);
            if (!entries.TryGetValue(other, out var entry))
            {
                throw new InvalidDataException(
                    $"{file.Path}: tensor '{shown}' (shape {SafetensorsEntry.FormatShape(expected)}) is missing; the file does not hold the '{model.Config.Vision.Family}' model this config describes: pass the config that came with the weights.");
            }

            if (!entry.Shape.SequenceEqual(expected))
            {
                throw new InvalidDataException(
                    $"{file.Path}: tensor '{shown}' has shape {entry.ShapeText}, but this config needs {SafetensorsEntry.FormatShape(expected)} (ClipLab's {name}): the weights were made for another model size; pass the config that came with them.");
            }

            Copy(file, entry, target, transform);
            loaded.Add(other);
        }

        return (loaded, kept);
    }

    private static void Copy(SafetensorsFile file, SafetensorsEntry entry, Tensor target, StateDictNames.TensorTransform transform)
    {
        using var scope = torch.NewDisposeScope();
        var shape = entry.Shape.ToArray();
        var source = target.dtype == ScalarType.Int64
            ? torch.tensor(file.ReadInt64(entry)).reshape(shape)
            : torch.tensor(file.ReadFloat32(entry)).reshape(shape);
        using var laidOut = Layout.Apply(source, transform);
        target.copy_(laidOut);
    }
}
