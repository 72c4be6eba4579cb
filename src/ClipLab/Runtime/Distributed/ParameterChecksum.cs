using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Runtime.Distributed;

/// <summary>
/// Checks that every rank holds the same parameters: data-parallel ranks apply the same averaged gradients with the same
/// optimizer, so their weights must stay bit-identical, and a difference means the job is no longer training one model.
/// </summary>
public static class ParameterChecksum
{
    /// <summary>Sum and sum of squares of all parameters, in float64.</summary>
    public static (double Sum, double SquareSum) Of(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var scope = torch.NewDisposeScope();
        double sum = 0, squares = 0;
        using (torch.no_grad())
        {
            foreach (var p in parameters)
            {
                var values = p.detach().to(ScalarType.Float64);
                sum += values.sum().ToDouble();
                squares += values.square().sum().ToDouble();
            }
        }
        return (sum, squares);
    }

    /// <summary>Compares this rank's checksum with every other rank's.</summary>
    /// <exception cref="MpiException">The ranks' parameters differ; the message gives each rank's checksum.</exception>
    public static void Verify(IEnumerable<Tensor> parameters, ICommunicator communicator, long step)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        if (communicator.Size == 1) return;
        var (sum, squares) = Of(parameters);
        using var local = torch.tensor(new[] { sum, squares }, dtype: ScalarType.Float64).unsqueeze(0);
        using var all = communicator.AllGather(local);
        var values = all.data<double>().ToArray();
        for (int rank = 1; rank < communicator.Size; rank++)
        {
            if (values[2 * rank] != values[0] || values[2 * rank + 1] != values[1])
            {
                var table = string.Join(", ", Enumerable.Range(0, communicator.Size).Select(r => $"rank {r}: {values[2 * r]:R}/{values[2 * r + 1]:R}"));
                throw new MpiException($"the ranks' parameters diverged at step {step} ({table}); the job stopped before it could train " +
                    "different models. Resume from the last checkpoint; if it recurs, check that every rank runs the same build and config.");
            }
        }
    }
}
