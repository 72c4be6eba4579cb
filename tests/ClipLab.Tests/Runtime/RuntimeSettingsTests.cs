using ClipLab.Configuration;
using ClipLab.Runtime;
using Xunit;

namespace ClipLab.Tests.Runtime;

public class RuntimeSettingsTests
{
    [Theory]
    [InlineData("cpu")]
    [InlineData("cuda")]
    [InlineData("cuda:3")]
    [InlineData("auto")]
    public void ValidDeviceSpellingsPass(string device) =>
        new RunConfig { Runtime = new RuntimeConfig { Device = device } }.Validate();

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("CPU")]
    public void InvalidDeviceIsRefusedListingTheChoices(string device)
    {
        var ex = Assert.Throws<ConfigException>(() => new RunConfig { Runtime = new RuntimeConfig { Device = device } }.Validate());
        Assert.Contains("runtime.device", ex.Message);
        Assert.Contains("cpu, cuda, cuda:N", ex.Message);
    }

    [Fact]
    public void InvalidPrecisionIsRefusedListingTheChoices()
    {
        var ex = Assert.Throws<ConfigException>(() => new RunConfig { Training = new TrainingConfig { Precision = "fp16" } }.Validate());
        Assert.Contains("training.precision", ex.Message);
        Assert.Contains("fp32, bf16", ex.Message);
    }

    [Fact]
    public void RuntimeAndPrecisionRoundTripThroughJson()
    {
        string path = Path.Combine(TinyRuns.TempDirectory(), "run.json");
        File.WriteAllText(path, """{ "runtime": { "device": "auto" }, "training": { "precision": "bf16" } }""");
        var config = ConfigJson.Load<RunConfig>(path);
        Assert.Equal("auto", config.Runtime.Device);
        Assert.Equal("bf16", config.Training.Precision);
        Assert.Equal("cpu", new RunConfig().Runtime.Device);
        Assert.Equal("fp32", new RunConfig().Training.Precision);
    }

    [Fact]
    public void CpuOnlyBuildRefusesCudaWithOneLineAndAutoFallsBackToCpu()
    {
        Assert.True(LibTorchLocator.BuildCarriesLibTorch, "the test build carries the CPU libtorch");
        var ex = Assert.Throws<DeviceUnavailableException>(() => ComputeDevice.Open("cuda"));
        Assert.Contains("CPU-only libtorch", ex.Message);
        Assert.Contains("-p:ClipLabTorch=cuda", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Equal(TorchSharp.DeviceType.CPU, ComputeDevice.Open("auto").type);
        Assert.Equal(TorchSharp.DeviceType.CPU, ComputeDevice.Open("cpu").type);
    }
}
