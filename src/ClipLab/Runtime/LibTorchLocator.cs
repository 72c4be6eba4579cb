using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace ClipLab.Runtime;

/// <summary>
/// Finds and loads a CUDA-capable libtorch for the GPU build of ClipLab. The default (CPU) build carries libtorch's CPU
/// natives beside the program and needs none of this. The GPU build (<c>-p:ClipLabTorch=cuda</c>) carries TorchSharp's
/// bindings only, and takes libtorch from <c>CLIPLAB_LIBTORCH</c> (a <c>torch/lib</c> or libtorch folder) or, failing that,
/// from the PyTorch installation of <c>python3</c>. The libraries are loaded by full path before TorchSharp initialises:
/// the dynamic linker then resolves TorchSharp's own dependency on <c>libtorch.so</c> to the already loaded library of the
/// same name, so no <c>LD_LIBRARY_PATH</c> (read only at process start) is needed.
/// </summary>
public static partial class LibTorchLocator
{
    /// <summary>Environment variable naming the libtorch folder to use.</summary>
    public const string EnvironmentVariable = "CLIPLAB_LIBTORCH";

    /// <summary>libtorch versions TorchSharp 0.107 runs with: 2.10 (what it was built against) and 2.11 (measured to work).</summary>
    public static readonly IReadOnlyList<(int Major, int Minor)> SupportedVersions = [(2, 10), (2, 11)];

    private const string InstallHint = "install PyTorch 2.10 or 2.11 with CUDA into python3 (pip install torch==2.11.*) " +
        $"or set {EnvironmentVariable} to its torch/lib folder";

    private static readonly object Gate = new();
    private static LibTorchLocation? _loaded;

    /// <summary>
    /// Whether this build carries libtorch's natives beside the program (the default CPU build). Such a build never
    /// loads another libtorch: its CPU libraries would shadow a CUDA one.
    /// </summary>
    public static bool BuildCarriesLibTorch => BuildCarriesLibTorchIn(AppContext.BaseDirectory);

    /// <summary>
    /// Whether the program folder <paramref name="directory"/> holds libtorch's natives, beside the program (a publish for
    /// one runtime) or under <c>runtimes/*/native</c> (a build).
    /// </summary>
    public static bool BuildCarriesLibTorchIn(string directory)
    {
        var folders = new List<string> { directory };
        string runtimes = Path.Combine(directory, "runtimes");
        if (Directory.Exists(runtimes))
            folders.AddRange(Directory.GetDirectories(runtimes).Select(rid => Path.Combine(rid, "native")));
        return folders.Any(folder => new[] { "libtorch_cpu.so", "torch_cpu.dll", "libtorch_cpu.dylib" }
            .Any(name => File.Exists(Path.Combine(folder, name))));
    }

    /// <summary>The libtorch loaded by <see cref="EnsureLoaded"/>, or null (the build's own libtorch is in use).</summary>
    public static LibTorchLocation? Loaded => _loaded;

    /// <summary>
    /// For a build without libtorch: finds one, checks its version and loads it (once per process). Call before any
    /// TorchSharp call. Returns null for a build that carries its own libtorch.
    /// </summary>
    /// <exception cref="DeviceUnavailableException">No usable libtorch was found; the message says how to get one.</exception>
    public static LibTorchLocation? EnsureLoaded()
    {
        if (BuildCarriesLibTorch) return null;
        lock (Gate)
        {
            if (_loaded is not null) return _loaded;
            var location = Find(Environment.GetEnvironmentVariable(EnvironmentVariable), FindWithPython);
            CheckVersion(location);
            Load(location);
            _loaded = location;
            return location;
        }
    }

    /// <summary>
    /// Finds libtorch: in <paramref name="configured"/> (the value of <c>CLIPLAB_LIBTORCH</c>) when set, else through
    /// <paramref name="python"/> (which reports PyTorch's folder and version, or null when there is no PyTorch).
    /// </summary>
    /// <exception cref="DeviceUnavailableException">Nothing usable was found.</exception>
    public static LibTorchLocation Find(string? configured, Func<(string TorchDirectory, string Version)?> python)
    {
        ArgumentNullException.ThrowIfNull(python);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            string lib = LibDirectoryOf(configured)
                ?? throw new DeviceUnavailableException($"{EnvironmentVariable}={configured} holds no libtorch.so (nor lib/libtorch.so): point it at PyTorch's torch/lib folder or a libtorch folder");
            string version = ReadVersion(lib)
                ?? throw new DeviceUnavailableException($"cannot tell the libtorch version in {lib} (no ../version.py nor ../build-version beside it): point {EnvironmentVariable} at PyTorch's torch/lib folder or an unpacked libtorch archive");
            return new LibTorchLocation(lib, version, EnvironmentVariable);
        }
        var found = python()
            ?? throw new DeviceUnavailableException($"no libtorch found: this GPU build of ClipLab needs PyTorch's libtorch, and python3 has no torch module; {InstallHint}");
        string torchLib = Path.Combine(found.TorchDirectory, "lib");
        if (!File.Exists(Path.Combine(torchLib, "libtorch.so")))
            throw new DeviceUnavailableException($"python3's torch ({found.TorchDirectory}) has no lib/libtorch.so; {InstallHint}");
        return new LibTorchLocation(torchLib, found.Version, "python3");
    }

    /// <summary>Fails unless <paramref name="location"/>'s version is one TorchSharp 0.107 works with.</summary>
    /// <exception cref="DeviceUnavailableException">The version is not supported.</exception>
    public static void CheckVersion(LibTorchLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (location.MajorMinor is { } version && SupportedVersions.Contains(version)) return;
        throw new DeviceUnavailableException($"libtorch {location.Version} at {location.LibDirectory} (from {location.Source}) does not match TorchSharp 0.107, " +
            $"which works with libtorch {string.Join(" or ", SupportedVersions.Select(v => $"{v.Major}.{v.Minor}"))}; {InstallHint}");
    }

    /// <summary>The folder holding libtorch.so: <paramref name="path"/> itself or its <c>lib</c> subfolder; null when neither does.</summary>
    public static string? LibDirectoryOf(string path)
    {
        string full = Path.GetFullPath(path);
        if (File.Exists(Path.Combine(full, "libtorch.so"))) return full;
        string lib = Path.Combine(full, "lib");
        return File.Exists(Path.Combine(lib, "libtorch.so")) ? lib : null;
    }

    /// <summary>
    /// The version of the libtorch in <paramref name="libDirectory"/>: from PyTorch's <c>../version.py</c>
    /// (<c>__version__ = '2.11.0+cu130'</c>) or a libtorch archive's <c>../build-version</c>; null when neither exists.
    /// </summary>
    public static string? ReadVersion(string libDirectory)
    {
        string parent = Path.GetDirectoryName(Path.GetFullPath(libDirectory).TrimEnd(Path.DirectorySeparatorChar)) ?? libDirectory;
        string versionPy = Path.Combine(parent, "version.py");
        if (File.Exists(versionPy))
        {
            var match = VersionLine().Match(File.ReadAllText(versionPy));
            if (match.Success) return match.Groups[1].Value;
        }
        string buildVersion = Path.Combine(parent, "build-version");
        if (File.Exists(buildVersion))
        {
            string text = File.ReadAllText(buildVersion).Trim();
            if (text.Length > 0) return text;
        }
        return null;
    }

    /// <summary>Asks python3 where torch lives and which version it is; null when python3 or torch is missing.</summary>
    public static (string TorchDirectory, string Version)? FindWithPython()
    {
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-c", "import os, torch; print(os.path.dirname(torch.__file__)); print(torch.__version__)" })
            start.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(start);
            if (process is null) return null;
            var stdout = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            // Importing torch reads a few hundred MB of libraries; give a cold disk time.
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }
            if (process.ExitCode != 0) return null;
            var lines = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return lines.Length >= 2 ? (lines[0], lines[1]) : null;
        }
        catch (Win32Exception)
        {
            return null; // no python3 on PATH
        }
    }

    private static void Load(LibTorchLocation location)
    {
        // Dependencies first, so that each library finds its own by soname among those already loaded.
        foreach (var name in new[] { "libc10.so", "libtorch_cpu.so", "libc10_cuda.so", "libtorch_cuda.so", "libtorch.so" })
        {
            string path = Path.Combine(location.LibDirectory, name);
            if (!File.Exists(path)) continue;
            try
            {
                NativeLibrary.Load(path);
            }
            catch (DllNotFoundException ex)
            {
                throw new DeviceUnavailableException($"could not load {path} (libtorch {location.Version} from {location.Source}): {FirstLine(ex.Message)}; " +
                    "check the PyTorch installation (its CUDA libraries come from the nvidia-* pip packages)", ex);
            }
        }
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    [GeneratedRegex(@"__version__\s*=\s*['""]([^'""]+)['""]")]
    private static partial Regex VersionLine();
}
