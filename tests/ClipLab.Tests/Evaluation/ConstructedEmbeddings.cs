using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Tests.Evaluation;

/// <summary>Embeddings with known answers for the evaluation tests.</summary>
internal static class ConstructedEmbeddings
{
    /// <summary>Row i is the one-hot vector of <paramref name="rows"/>[i] in <paramref name="dim"/> dimensions.</summary>
    public static Tensor OneHotRows(int dim, IReadOnlyList<int> rows)
    {
        using var eye = torch.eye(dim);
        using var index = torch.tensor(rows.Select(r => (long)r).ToArray());
        return eye.index_select(0, index);
    }

    /// <summary>Unit-norm random vectors [n, dim] from a fixed seed.</summary>
    public static Tensor RandomUnit(int n, int dim, long seed)
    {
        using var generator = new torch.Generator((ulong)seed);
        using var x = torch.randn(n, dim, generator: generator);
        return nn.functional.normalize(x, dim: 1);
    }

    /// <summary><paramref name="clean"/> plus Gaussian noise of standard deviation <paramref name="sigma"/>, renormalised; disposes <paramref name="clean"/>.</summary>
    public static Tensor Noisy(Tensor clean, double sigma, long seed)
    {
        using (clean)
        {
            using var generator = new torch.Generator((ulong)seed);
            using var noise = torch.randn(clean.shape, generator: generator).mul_(sigma);
            using var sum = clean.add(noise);
            return nn.functional.normalize(sum, dim: 1);
        }
    }
}

/// <summary>Compares floats within an absolute tolerance.</summary>
internal sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
{
    public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

    public int GetHashCode(float obj) => 0;
}
