namespace ClipLab.Runtime;

/// <summary>A libtorch found outside the ClipLab build (a PyTorch installation or a libtorch archive).</summary>
/// <param name="LibDirectory">The folder holding <c>libtorch.so</c> and its siblings.</param>
/// <param name="Version">The libtorch version as it names itself, e.g. <c>2.11.0+cu130</c>.</param>
/// <param name="Source">Where the folder came from: <c>CLIPLAB_LIBTORCH</c> or <c>python3</c>.</param>
public sealed record LibTorchLocation(string LibDirectory, string Version, string Source)
{
    /// <summary>Whether the folder holds the CUDA backend (<c>libtorch_cuda.so</c>).</summary>
    public bool HasCuda => File.Exists(Path.Combine(LibDirectory, "libtorch_cuda.so"));

    /// <summary>Major and minor version (2.11 for <c>2.11.0+cu130</c>), or null when the version does not parse.</summary>
    public (int Major, int Minor)? MajorMinor
    {
        get
        {
            var parts = Version.Split('+')[0].Split('.');
            return parts.Length >= 2 && int.TryParse(parts[0], out int major) && int.TryParse(parts[1], out int minor)
                ? (major, minor) : null;
        }
    }
}
