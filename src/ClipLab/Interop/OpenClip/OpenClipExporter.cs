using ClipLab.Interop.Safetensors;
using ClipLab.Interop.StateDictNames;
using ClipLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Interop.OpenClip;

/// <summary>Writes a ClipLab model's weights under open_clip's state-dict names (see <see cref="OpenClipNames"/>).</summary>
public static class OpenClipExporter
{
    /// <summary>Translates every tensor of <paramref name="model"/> to open_clip's name and layout.</summary>
    /// <param name="model">The model.</param>
    /// <param name="dtype">Element type of floating tensors (F32 keeps them exact); integer buffers stay I64.</param>
    /// <exception cref="InvalidOperationException">The model has a part open_clip cannot express; the message names it.</exception>
    public static OpenClipExport Export(ClipModel model, SafetensorsDType dtype = SafetensorsDType.F32)
    {
        ArgumentNullException.ThrowIfNull(model);
        var config = OpenClipModelConfig.FromClipLab(model.Config);
        var map = OpenClipNames.For(model.Config.Vision);
        var tensors = new List<SafetensorsTensor>();
        var omitted = new List<string>();
        foreach (var (name, tensor) in model.state_dict())
        {
            if (map.OmitReason(name) is { } reason)
            {
                omitted.Add($"{name}: {reason}");
                continue;
            }

            var (target, transform) = map.ToOther(name)
                ?? throw new InvalidOperationException($"ClipLab tensor '{name}' has no open_clip name in the {map.Name} name map, so the model cannot be exported exactly.");
            tensors.Add(ToSafetensors(target, tensor, transform, dtype));
        }

        return new OpenClipExport(tensors, config, omitted);
    }

    private static SafetensorsTensor ToSafetensors(string name, Tensor tensor, TensorTransform transform, SafetensorsDType dtype)
    {
        using var scope = torch.NewDisposeScope();
        var laidOut = Layout.Apply(tensor.detach().cpu(), transform).contiguous();
        var shape = laidOut.shape;
        return laidOut.dtype switch
        {
            ScalarType.Float32 => new SafetensorsTensor(name, dtype, shape, SafetensorsValues.EncodeFloat32(laidOut.data<float>().ToArray(), dtype)),
            ScalarType.Int64 => new SafetensorsTensor(name, SafetensorsDType.I64, shape, SafetensorsValues.EncodeInt64(laidOut.data<long>().ToArray())),
            _ => throw new InvalidOperationException($"ClipLab tensor '{name}' is {laidOut.dtype}; only float32 and int64 tensors are exported."),
        };
    }
}
