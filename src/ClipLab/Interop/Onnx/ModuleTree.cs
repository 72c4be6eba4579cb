using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Interop.Onnx;

/// <summary>
/// Reads a module's parts by their state-dict names, the way the exporters walk ClipLab's towers: the towers keep
/// their layers private, and their names are already a stable, documented contract (checkpoints rely on them).
/// </summary>
internal static class ModuleTree
{
    /// <summary>The direct child <paramref name="name"/> of <paramref name="module"/>, which must be a <typeparamref name="T"/>.</summary>
    public static T Child<T>(nn.Module module, string name) where T : nn.Module
    {
        foreach (var (childName, child) in module.named_children())
        {
            if (childName == name)
            {
                return child as T ?? throw new InvalidOperationException(
                    $"{module.GetName()}.{name} is a {child.GetType().Name}, the ONNX exporter expects a {typeof(T).Name}.");
            }
        }

        throw new InvalidOperationException($"{module.GetName()} has no part '{name}' that the ONNX exporter expects.");
    }

    /// <summary>The direct child <paramref name="name"/> of <paramref name="module"/> when present (optional parts), else null.</summary>
    public static T? OptionalChild<T>(nn.Module module, string name) where T : nn.Module =>
        module.named_children().Any(c => c.name == name) ? Child<T>(module, name) : null;

    /// <summary>The items of the module list <paramref name="name"/> of <paramref name="module"/>, in order.</summary>
    public static IReadOnlyList<T> Items<T>(nn.Module module, string name) where T : nn.Module =>
        Child<nn.Module>(module, name).children().Cast<T>().ToList();

    /// <summary>The parameter <paramref name="name"/> owned directly by <paramref name="module"/>.</summary>
    public static Parameter Parameter(nn.Module module, string name) => OptionalParameter(module, name)
        ?? throw new InvalidOperationException($"{module.GetName()} has no parameter '{name}' that the ONNX exporter expects.");

    /// <summary>The parameter <paramref name="name"/> owned directly by <paramref name="module"/> when present, else null.</summary>
    public static Parameter? OptionalParameter(nn.Module module, string name)
    {
        foreach (var (parameterName, parameter) in module.named_parameters(recurse: false))
        {
            if (parameterName == name) return parameter;
        }

        return null;
    }
}
