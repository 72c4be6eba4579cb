using System.Globalization;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Runtime;

/// <summary>
/// Opens the device a run computes on (<c>runtime.device</c>, <c>--device</c>): <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c> or
/// <c>auto</c>. CUDA needs the GPU build of ClipLab and a CUDA libtorch (<see cref="LibTorchLocator"/>); when either, or a
/// GPU, is missing, opening <c>cuda</c> fails with one line saying what is missing, and <c>auto</c> falls back to the CPU.
/// </summary>
public static class ComputeDevice
{
    /// <summary>The CPU.</summary>
    public const string Cpu = "cpu";

    /// <summary>The first CUDA GPU.</summary>
    public const string Cuda = "cuda";

    /// <summary>CUDA when usable, else the CPU.</summary>
    public const string Auto = "auto";

    /// <summary>The valid spellings, as a config error message lists them.</summary>
    public const string ValidSpecs = "one of: cpu, cuda, cuda:N (a GPU index, e.g. cuda:1), auto (CUDA when usable, else cpu)";

    private const string GpuBuildHint = "publish the GPU build (dotnet publish src/ClipLab.Cli -c Release -p:ClipLabTorch=cuda -o out/gpu, " +
        "or scripts/gpu-pack.sh) and run it with PyTorch (CUDA) installed; see README \"Run on a GPU\"";

    /// <summary>Whether <paramref name="spec"/> is one of the valid spellings.</summary>
    public static bool IsValidSpec(string? spec) => spec is Cpu or Cuda or Auto || CudaIndex(spec) is not null;

    /// <summary>Opens the device <paramref name="spec"/> names, initialising CUDA when it is asked for.</summary>
    /// <exception cref="ConfigException">The spelling is invalid.</exception>
    /// <exception cref="DeviceUnavailableException">CUDA was asked for and cannot be used; the message says why and what to do.</exception>
    public static Device Open(string spec)
    {
        if (!IsValidSpec(spec)) throw new ConfigException("runtime.device", spec, ValidSpecs);
        if (spec == Cpu) return CPU;
        bool auto = spec == Auto;
        int index = CudaIndex(spec) ?? 0;

        if (LibTorchLocator.BuildCarriesLibTorch)
        {
            if (auto) return CPU;
            throw new DeviceUnavailableException($"device \"{spec}\" needs a CUDA libtorch, and this ClipLab build carries the CPU-only libtorch: {GpuBuildHint}.");
        }
        var location = LibTorchLocator.EnsureLoaded()!;
        if (!location.HasCuda)
        {
            if (auto) return CPU;
            throw new DeviceUnavailableException($"device \"{spec}\": the libtorch at {location.LibDirectory} ({location.Version}, from {location.Source}) is a CPU-only build; " +
                $"install PyTorch with CUDA (pip install torch==2.11.* --index-url https://download.pytorch.org/whl/cu130) or set {LibTorchLocator.EnvironmentVariable} to a CUDA libtorch.");
        }
        bool available;
        try
        {
            available = torch.TryInitializeDeviceType(DeviceType.CUDA);
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or DllNotFoundException or ExternalException)
        {
            throw new DeviceUnavailableException($"device \"{spec}\": libtorch {location.Version} at {location.LibDirectory} did not initialise CUDA ({ex.Message.Split('\n')[0]}).", ex);
        }
        if (!available)
        {
            if (auto) return CPU;
            throw new DeviceUnavailableException($"device \"{spec}\": no CUDA GPU is usable (libtorch {location.Version} at {location.LibDirectory} reports none); " +
                "check nvidia-smi and CUDA_VISIBLE_DEVICES, or run with --device cpu.");
        }
        int count = torch.cuda.device_count();
        if (index >= count)
            throw new DeviceUnavailableException($"device \"{spec}\": this machine has {count} CUDA device(s), cuda:0 to cuda:{count - 1}.");
        return torch.device(DeviceType.CUDA, index);
    }

    /// <summary>The GPU index of <c>cuda:N</c>, or null for any other spelling.</summary>
    private static int? CudaIndex(string? spec) =>
        spec is not null && spec.StartsWith("cuda:", StringComparison.Ordinal)
        && int.TryParse(spec.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < 1024 ? index : null;
}
