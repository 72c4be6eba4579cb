using ClipLab.Configuration;
using ClipLab.Models;
using ClipLab.Runtime;
using ClipLab.Tests.Cli;
using ClipLab.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ClipLab.Tests.Runtime;

public class MixedPrecisionTests
{
    [Theory]
    [InlineData("clip-vit-nano-p8-32")]
    [InlineData("clip-rn-nano-32")]
    [InlineData("clip-resnet-nano-32")]
    [InlineData("clip-convnext-nano-32")]
    [InlineData("clip-swin-nano-p2-32")]
    [InlineData("clip-mixer-nano-p4-32")]
    public void EveryTowerFamilyComputesInBf16WithFp32EmbeddingsAndGradients(string name)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(0);
        var config = new RunConfig { Model = name }.ResolveModel(ClipLab.Text.ClipTokenizer.LoadDefault());
        using var model = ModelRegistry.Create(config);
        Assert.True(BFloat16Compute.Apply(model) > 0);
        Assert.True(BFloat16Compute.IsApplied(model));
        int size = config.Vision.ImageSize;
        var images = torch.rand(4, config.Vision.Channels, size, size) * 2 - 1;
        var tokens = torch.randint(4, config.Text.VocabSize, new long[] { 4, config.Text.ContextLength });
        var (image, text) = model.call(images, tokens);
        Assert.Equal(ScalarType.Float32, image.dtype);
        Assert.Equal(ScalarType.Float32, text.dtype);
        var loss = ClipLab.Losses.ContrastiveLoss.Compute(image, text, model.LogitScale);
        Assert.Equal(ScalarType.Float32, loss.dtype);
        loss.backward();
        Assert.True(double.IsFinite(loss.ToDouble()));
        // LayerNorms (and the logit scale) keep fp32 parameters; every parameter got a gradient of its own type.
        foreach (var (pname, p) in model.named_parameters())
        {
            if (pname.Contains("ln_") || pname == "logit_scale") Assert.Equal(ScalarType.Float32, p.dtype);
            using var grad = p.grad;
            if (grad is not null) Assert.Equal(p.dtype, grad.dtype);
        }
    }

    [Fact]
    public void Fp32WeightsSurviveABf16RunAndItsLossFollowsFp32()
    {
        var fp32 = TinyRuns.Config(samples: 64 * 8, checkpointEvery: 8);
        var bf16 = fp32 with { Training = fp32.Training with { Precision = Precision.Bf16 } };
        var fp32Losses = new List<double>();
        var bf16Losses = new List<double>();
        using (var trainer = new Trainer(fp32, TinyRuns.TempDirectory())) trainer.Run(p => fp32Losses.Add(p.Loss));
        string dir = TinyRuns.TempDirectory();
        using (var trainer = new Trainer(bf16, dir))
        {
            trainer.Run(p => bf16Losses.Add(p.Loss));
            Assert.All(trainer.Model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
            Assert.True(BFloat16Compute.IsApplied(trainer.ComputeModel));
            Assert.NotSame(trainer.Model, trainer.ComputeModel);
        }
        for (int i = 0; i < fp32Losses.Count; i++)
            Assert.True(Math.Abs(fp32Losses[i] - bf16Losses[i]) < 0.05, $"step {i + 1}: fp32 loss {fp32Losses[i]:F4}, bf16 {bf16Losses[i]:F4}");
        // The checkpoint holds fp32 weights, and the master moved: they are the trained weights, not the initial ones.
        var (config, _, model, _) = Checkpoint.LoadTrained(dir);
        using (model)
        {
            Assert.Equal(Precision.Bf16, config.Training.Precision);
            Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
            torch.manual_seed(bf16.Training.Seed);
            using var initial = ModelRegistry.Create(model.Config);
            using var trained = model.Visual.parameters().First().detach();
            using var start = initial.Visual.parameters().First().detach();
            Assert.False(trained.allclose(start));
        }
    }

    [Fact]
    public void Bf16TrainCheckpointEvalCycleRunsThroughTheCli()
    {
        string dir = TinyRuns.TempDirectory();
        string configPath = Path.Combine(dir, "tiny.json");
        ConfigJson.Save(TinyRuns.Config(samples: 64 * 6, checkpointEvery: 3), configPath);
        string run = Path.Combine(dir, "run");
        var (code, output) = CliProcess.Run("train", "--config", configPath, "--out", run, "--precision", "bf16");
        Assert.True(code == 0, output);
        var results = RunResults.Load(Path.Combine(run, TrainingRun.ResultsFile));
        Assert.Equal(6 * 64, results.Train.SamplesSeen);
        Assert.Equal(Precision.Bf16, Checkpoint.LoadConfig(Checkpoint.FindLatest(run)!).Training.Precision);

        string json = Path.Combine(dir, "eval.json");
        (code, output) = CliProcess.Run("eval", "--checkpoint", run, "--task", "zeroshot", "--precision", "bf16", "--json", json, "--no-cache");
        Assert.True(code == 0, output);
        Assert.Contains("in bf16", output);
        Assert.True(File.Exists(json));
    }

    [Fact]
    public void CudaOnACpuBuildExitsWithOneLineAndWritesNothing()
    {
        string dir = TinyRuns.TempDirectory();
        string configPath = Path.Combine(dir, "tiny.json");
        ConfigJson.Save(TinyRuns.Config(), configPath);
        string run = Path.Combine(dir, "run");
        var (code, output) = CliProcess.Run("train", "--config", configPath, "--out", run, "--device", "cuda");
        Assert.Equal(2, code);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, output);
        Assert.StartsWith("error: device \"cuda\"", lines[0]);
        Assert.Contains("ClipLabTorch=cuda", lines[0]);
        Assert.False(Directory.Exists(run), "no run folder may be written");

        (code, output) = CliProcess.Run("train", "--config", configPath, "--out", run, "--device", "tpu");
        Assert.Equal(2, code);
        Assert.Contains("cpu, cuda, cuda:N", output);
        Assert.False(Directory.Exists(run));
    }

    [CudaFact]
    public void CheckpointTrainedOnCudaLoadsOnTheCpu()
    {
        var config = TinyRuns.Config(samples: 64 * 4, checkpointEvery: 4) with { Runtime = new RuntimeConfig { Device = ComputeDevice.Cuda } };
        string dir = TinyRuns.TempDirectory();
        using (var trainer = new Trainer(config, dir))
        {
            Assert.Equal(DeviceType.CUDA, trainer.Device.type);
            trainer.Run();
        }
        var (_, _, model, _) = Checkpoint.LoadTrained(dir);
        using (model) Assert.All(model.parameters(), p => Assert.Equal(DeviceType.CPU, p.device_type));
    }
}
