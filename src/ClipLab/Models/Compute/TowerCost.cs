namespace ClipLab.Models.Compute;

/// <summary>
/// Analytic size and forward cost of one tower for one sample, split into the trunk and the head (the pooling and
/// projection into the joint embedding space), because published figures (timm) quote trunks without classifier heads.
/// </summary>
/// <remarks>
/// Convention: a multiply–accumulate (MAC) is one multiplication and one addition of a matrix product, a convolution or
/// an attention product (q·kᵀ and attention·v). Normalisation, activations, residual additions, pooling and softmax are
/// not counted (as fvcore and timm's tables). FLOPs = 2 × MACs.
/// </remarks>
/// <param name="TrunkParameters">Parameters of the trunk (everything but the head).</param>
/// <param name="HeadParameters">Parameters of the head: the projection into the embedding space (and any attention pool).</param>
/// <param name="TrunkMacs">Forward multiply–accumulates of the trunk for one sample.</param>
/// <param name="HeadMacs">Forward multiply–accumulates of the head for one sample.</param>
public sealed record TowerCost(long TrunkParameters, long HeadParameters, double TrunkMacs, double HeadMacs)
{
    /// <summary>All parameters.</summary>
    public long Parameters => TrunkParameters + HeadParameters;

    /// <summary>All forward multiply–accumulates for one sample.</summary>
    public double Macs => TrunkMacs + HeadMacs;

    /// <summary>Forward GMACs for one sample (10⁹ MACs).</summary>
    public double GMacs => Macs / 1e9;

    /// <summary>Forward FLOPs for one sample (2 × MACs).</summary>
    public double Flops => 2 * Macs;
}
