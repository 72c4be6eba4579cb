using ClipLab.Losses;
using ClipLab.Runtime.Distributed;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ClipLab.Tests.Runtime;

public class DistributedTests
{
    [Fact]
    public void TwoRanksUnderMpirunPassTheCollectiveAndGlobalLossChecks()
    {
        var (code, output) = MpiLaunch.Run(2, "distributed", "check");
        Assert.True(code == 0, output);
        Assert.Contains("Ranks: 2", output);
        Assert.Contains("Open MPI", output);
        Assert.Contains("All checks passed on every rank.", output);
        Assert.DoesNotContain("FAILED", output);
    }

    [Fact]
    public void WithoutALauncherTheCheckRunsOnOneRankAndNeverLoadsMpi()
    {
        Assert.False(DistributedLaunch.StartedByLauncher(_ => null));
        Assert.True(DistributedLaunch.StartedByLauncher(name => name == "OMPI_COMM_WORLD_SIZE" ? "2" : null));
        Assert.True(DistributedLaunch.StartedByLauncher(name => name == "PMIX_RANK" ? "0" : null));
        var (code, output) = Cli.CliProcess.Run("distributed", "check");
        Assert.True(code == 0, output);
        Assert.Contains("Ranks: 1", output);
        Assert.Contains("not started by an MPI launcher", output);
    }

    [Fact]
    public void OnOneRankTheGlobalLossesAreExactlyTheLocalOnes()
    {
        using var scope = torch.NewDisposeScope();
        var generator = new torch.Generator(3);
        var images = nn.functional.normalize(torch.randn(6, 4, generator: generator), dim: -1);
        var texts = nn.functional.normalize(torch.randn(6, 4, generator: generator), dim: -1);
        var scale = torch.tensor(2.0f);
        var bias = torch.tensor(-1.0f);
        var one = SingleProcessCommunicator.Instance;
        Assert.Equal(ContrastiveLoss.Compute(images, texts, scale).ToSingle(), GlobalContrastiveLoss.Compute(images, texts, scale, one).ToSingle());
        Assert.Equal(SigLipLoss.Compute(images, texts, scale, bias).ToSingle(), GlobalSigLipLoss.Compute(images, texts, scale, bias, one).ToSingle());
        Assert.Equal(SimClrLoss.Compute(images, texts).ToSingle(), GlobalSimClrLoss.Compute(images, texts, one).ToSingle());
    }

    [Fact]
    public void SelfCheckPassesInProcessOnOneRank()
    {
        var results = DistributedSelfCheck.Run(SingleProcessCommunicator.Instance);
        Assert.All(results, r => Assert.True(r.Passed, $"{r.Name}: {r.MaxAbsDifference}"));
        Assert.Contains(results, r => r.Name == "SimCLR loss: gradient");
    }
}
