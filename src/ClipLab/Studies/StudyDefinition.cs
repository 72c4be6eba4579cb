namespace ClipLab.Studies;

/// <summary>
/// A loaded, validated study at one scale: everything needed to expand, run and report it.
/// </summary>
/// <param name="Name">The study's name.</param>
/// <param name="Scale">The scale (<c>cpu</c> or <c>paper</c>).</param>
/// <param name="Source">The study file it was read from.</param>
/// <param name="Description">What it compares.</param>
/// <param name="Claims">Ids of the paper's claims it covers.</param>
/// <param name="Section">The scale's section of the file.</param>
/// <param name="Runs">The grid, expanded and validated, in a fixed order (axes crossed in file order, then seeds).</param>
public sealed record StudyDefinition(string Name, string Scale, string Source, string Description, IReadOnlyList<string> Claims,
    StudyScale Section, IReadOnlyList<PlannedRun> Runs);
