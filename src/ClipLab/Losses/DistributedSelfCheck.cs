using ClipLab.Runtime.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Losses;

/// <summary>One check of <see cref="DistributedSelfCheck"/>: what was compared, the largest difference found, and the verdict.</summary>
/// <param name="Name">What was checked.</param>
/// <param name="MaxAbsDifference">Largest absolute difference from the expected values.</param>
/// <param name="Passed">Whether the difference is within tolerance.</param>
public sealed record SelfCheckResult(string Name, double MaxAbsDifference, bool Passed);

/// <summary>
/// Verifies a job's communicator end to end, as a user would before a long run (<c>cliplab distributed check</c>):
/// the collectives give the known results, and each global-batch loss (CLIP, SigLIP, SimCLR) gives every rank the same
/// loss and, for its own rows, the same gradient as the single-process loss over the whole batch, computed on each rank.
/// </summary>
public static class DistributedSelfCheck
{
    private const double Tolerance = 1e-5;

    /// <summary>Runs every check (collectively: all ranks must call it) with a per-rank batch of <paramref name="rows"/>.</summary>
    public static IReadOnlyList<SelfCheckResult> Run(ICommunicator communicator, int rows = 8, int width = 16)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        using var scope = torch.NewDisposeScope();
        int size = communicator.Size, rank = communicator.Rank;
        var results = new List<SelfCheckResult>();

        var reduced = torch.full(3, rank + 1.0, dtype: ScalarType.Float32);
        communicator.AllReduceSum(reduced);
        results.Add(Compare("all-reduce sum", reduced, torch.full(3, size * (size + 1) / 2.0, dtype: ScalarType.Float32)));

        var gathered = communicator.AllGather(torch.full(2, 1, (double)rank, dtype: ScalarType.Float64));
        var expectedGather = arange(size, dtype: ScalarType.Float64).repeat_interleave(2).unsqueeze(1);
        results.Add(Compare("all-gather", gathered, expectedGather));

        var broadcast = torch.full(4, rank == 0 ? 42.0 : -1.0, dtype: ScalarType.Float32);
        communicator.Broadcast(broadcast, root: 0);
        results.Add(Compare("broadcast", broadcast, torch.full(4, 42.0, dtype: ScalarType.Float32)));
        communicator.Barrier();

        // The same global batch on every rank (one seed); each rank owns rows [rank·B, (rank+1)·B).
        var generator = new torch.Generator(1234);
        var images = nn.functional.normalize(torch.randn(size * rows, width, generator: generator, dtype: ScalarType.Float64), dim: -1);
        var texts = nn.functional.normalize(torch.randn(size * rows, width, generator: generator, dtype: ScalarType.Float64), dim: -1);
        var scale = torch.tensor(Math.Log(10.0), dtype: ScalarType.Float64);
        var bias = torch.tensor(-2.0, dtype: ScalarType.Float64);

        results.AddRange(CheckLoss("CLIP loss", communicator, rows, images, texts,
            (i, t) => ContrastiveLoss.Compute(i, t, scale),
            (i, t) => GlobalContrastiveLoss.Compute(i, t, scale, communicator)));
        results.AddRange(CheckLoss("SigLIP loss", communicator, rows, images, texts,
            (i, t) => SigLipLoss.Compute(i, t, scale, bias),
            (i, t) => GlobalSigLipLoss.Compute(i, t, scale, bias, communicator)));
        results.AddRange(CheckLoss("SimCLR loss", communicator, rows, images, texts,
            (i, t) => SimClrLoss.Compute(i, t),
            (i, t) => GlobalSimClrLoss.Compute(i, t, communicator)));
        return results;
    }

    /// <summary>
    /// The mean of the ranks' losses must equal the whole-batch loss, and each rank's gradient for its rows must equal
    /// Size × the whole-batch loss's gradient for those rows (each rank back-propagates its own share of the sum).
    /// </summary>
    private static IEnumerable<SelfCheckResult> CheckLoss(string name, ICommunicator communicator, int rows, Tensor images, Tensor texts,
        Func<Tensor, Tensor, Tensor> whole, Func<Tensor, Tensor, Tensor> global)
    {
        using var scope = torch.NewDisposeScope();
        var allImages = images.detach().clone().requires_grad_(true);
        var allTexts = texts.detach().clone().requires_grad_(true);
        var expected = whole(allImages, allTexts);
        expected.backward();

        long start = communicator.Rank * (long)rows;
        var localImages = images.narrow(0, start, rows).detach().clone().requires_grad_(true);
        var localTexts = texts.narrow(0, start, rows).detach().clone().requires_grad_(true);
        var loss = global(localImages, localTexts);
        loss.backward();
        var mean = loss.detach().clone().reshape(1);
        communicator.AllReduceSum(mean);
        mean.div_(communicator.Size);

        yield return Compare(name + ": value", mean, expected.detach().reshape(1));
        var expectedImageGrad = allImages.grad!.narrow(0, start, rows) * communicator.Size;
        var expectedTextGrad = allTexts.grad!.narrow(0, start, rows) * communicator.Size;
        yield return Compare(name + ": gradient", cat([localImages.grad!, localTexts.grad!], 0), cat([expectedImageGrad, expectedTextGrad], 0));
    }

    private static SelfCheckResult Compare(string name, Tensor actual, Tensor expected)
    {
        double difference = (actual.to(ScalarType.Float64) - expected.to(ScalarType.Float64)).abs().max().ToDouble();
        return new SelfCheckResult(name, difference, difference <= Tolerance);
    }
}
