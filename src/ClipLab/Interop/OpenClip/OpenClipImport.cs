using ClipLab.Models;

namespace ClipLab.Interop.OpenClip;

/// <summary>The outcome of <see cref="OpenClipImporter.Import"/>.</summary>
/// <param name="Model">The model holding the imported weights (the caller owns it).</param>
/// <param name="Loaded">Number of ClipLab tensors filled from the file.</param>
/// <param name="KeptInitial">ClipLab tensors not in the file that keep their initial values (vision-only imports), each with the reason.</param>
/// <param name="Skipped">File tensors not used, each with the reason.</param>
/// <param name="TimmLayout">Whether the file was a plain timm image-tower checkpoint.</param>
public sealed record OpenClipImport(ClipModel Model, int Loaded, IReadOnlyList<string> KeptInitial, IReadOnlyList<string> Skipped, bool TimmLayout);
