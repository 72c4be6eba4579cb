using ClipLab.Runtime;
using Xunit;

namespace ClipLab.Tests.Runtime;

public class LibTorchLocatorTests
{
    // A PyTorch-like folder: torch/lib/libtorch.so (+ optionally libtorch_cuda.so) and torch/version.py.
    private static string FakeTorch(string version, bool cuda)
    {
        string torch = Path.Combine(TinyRuns.TempDirectory(), "torch");
        string lib = Path.Combine(torch, "lib");
        Directory.CreateDirectory(lib);
        File.WriteAllText(Path.Combine(lib, "libtorch.so"), "");
        if (cuda) File.WriteAllText(Path.Combine(lib, "libtorch_cuda.so"), "");
        File.WriteAllText(Path.Combine(torch, "version.py"), $"__version__ = '{version}'\ndebug = False\ncuda = '13.0'\n");
        return torch;
    }

    [Fact]
    public void EnvironmentFolderWinsAndItsVersionIsRead()
    {
        string torch = FakeTorch("2.11.0+cu130", cuda: true);
        bool askedPython = false;
        var found = LibTorchLocator.Find(torch, () => { askedPython = true; return null; });
        Assert.False(askedPython);
        Assert.Equal(Path.Combine(torch, "lib"), found.LibDirectory);
        Assert.Equal("2.11.0+cu130", found.Version);
        Assert.Equal((2, 11), found.MajorMinor);
        Assert.True(found.HasCuda);
        Assert.Equal(LibTorchLocator.EnvironmentVariable, found.Source);
        LibTorchLocator.CheckVersion(found);
        // The lib folder itself is accepted too.
        Assert.Equal(found.LibDirectory, LibTorchLocator.Find(Path.Combine(torch, "lib"), () => null).LibDirectory);
    }

    [Fact]
    public void PythonIsAskedWhenTheVariableIsUnset()
    {
        string torch = FakeTorch("2.10.0+cpu", cuda: false);
        var found = LibTorchLocator.Find(null, () => (torch, "2.10.0+cpu"));
        Assert.Equal("python3", found.Source);
        Assert.False(found.HasCuda);
        LibTorchLocator.CheckVersion(found);
    }

    [Fact]
    public void LibtorchArchiveBuildVersionIsRead()
    {
        string root = Path.Combine(TinyRuns.TempDirectory(), "libtorch");
        Directory.CreateDirectory(Path.Combine(root, "lib"));
        File.WriteAllText(Path.Combine(root, "lib", "libtorch.so"), "");
        File.WriteAllText(Path.Combine(root, "build-version"), "2.10.0+cu128\n");
        Assert.Equal("2.10.0+cu128", LibTorchLocator.Find(root, () => null).Version);
    }

    [Theory]
    [InlineData("2.9.1+cu126")]
    [InlineData("2.12.0")]
    [InlineData("nightly")]
    public void UnsupportedVersionsFailWithOneLineNamingTheSupportedOnes(string version)
    {
        var location = LibTorchLocator.Find(FakeTorch(version, cuda: true), () => null);
        var ex = Assert.Throws<DeviceUnavailableException>(() => LibTorchLocator.CheckVersion(location));
        Assert.Contains(version, ex.Message);
        Assert.Contains("2.10 or 2.11", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void MissingLibtorchFailsWithHowToGetOne()
    {
        var none = Assert.Throws<DeviceUnavailableException>(() => LibTorchLocator.Find(null, () => null));
        Assert.Contains("pip install torch", none.Message);
        Assert.Contains(LibTorchLocator.EnvironmentVariable, none.Message);
        string empty = TinyRuns.TempDirectory();
        var wrong = Assert.Throws<DeviceUnavailableException>(() => LibTorchLocator.Find(empty, () => null));
        Assert.Contains("holds no libtorch.so", wrong.Message);
    }

    [Fact]
    public void BuildWithNativesIsRecognisedInBothLayouts()
    {
        string flat = TinyRuns.TempDirectory();
        Assert.False(LibTorchLocator.BuildCarriesLibTorchIn(flat));
        File.WriteAllText(Path.Combine(flat, "libtorch_cpu.so"), "");
        Assert.True(LibTorchLocator.BuildCarriesLibTorchIn(flat));
        string nested = TinyRuns.TempDirectory();
        Directory.CreateDirectory(Path.Combine(nested, "runtimes", "linux-x64", "native"));
        Assert.False(LibTorchLocator.BuildCarriesLibTorchIn(nested));
        File.WriteAllText(Path.Combine(nested, "runtimes", "linux-x64", "native", "libtorch_cpu.so"), "");
        Assert.True(LibTorchLocator.BuildCarriesLibTorchIn(nested));
    }
}
