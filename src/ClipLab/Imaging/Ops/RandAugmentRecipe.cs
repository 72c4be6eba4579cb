namespace ClipLab.Imaging.Ops;

/// <summary>
/// Which published RandAugment a <see cref="RandAugmentOp"/> follows: its transform pool, how the magnitude
/// (0–10 in both) maps to each transform's strength, and whether a drawn transform always runs.
/// </summary>
public enum RandAugmentRecipe
{
    /// <summary>
    /// Cubuk et al. 2019 (arXiv:1909.13719): the 14 transforms of the paper's Fig. 1, always applied, every
    /// strength growing linearly with M/10 up to AutoAugment's range — rotate 30°, shear 0.3, translate 0.45 of
    /// the side (150 px of 331), enhance factors 1 ± 0.9, posterize 8 → 4 bits, solarize threshold 256 → 0.
    /// </summary>
    Paper,

    /// <summary>
    /// InfoMin's (Tian et al. 2020) RandAugment, PyContrast <c>datasets/RandAugment.py</c> (timm's
    /// <c>rand-n2-m10-mstd0.5</c>): 15 transforms (Cubuk's without Identity, plus Invert and SolarizeAdd), each
    /// drawn transform applied with p = 0.5, level = m/10: enhance factor 0.1 + 1.8·level (unsigned), posterize
    /// ⌊4·level⌋ bits, solarize threshold ⌊256·level⌋, SolarizeAdd ⌊110·level⌋ below 128, rotate/shear/translate as
    /// in <see cref="Paper"/>.
    /// </summary>
    InfoMin,
}
