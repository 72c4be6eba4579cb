namespace ClipLab.Imaging.Pipeline;

using ClipLab.Imaging.Ops;

/// <summary>A named op of the pipeline language: its signature and the factory that builds it from validated arguments.</summary>
/// <param name="Name">Name used in specs, e.g. <c>random_resized_crop</c>.</param>
/// <param name="Summary">One line on what it does.</param>
/// <param name="Parameters">Signature, in positional order.</param>
/// <param name="Create">Builds the step; may throw <see cref="ArgumentException"/> for invalid combinations.</param>
public sealed record ImageOpDefinition(string Name, string Summary, IReadOnlyList<ImageOpParameter> Parameters, Func<ImageOpArguments, IImagePipelineStep> Create)
{
    /// <summary>"random_crop(size: int in [1, 4096])".</summary>
    public string Signature => $"{Name}({string.Join(", ", Parameters)})";
}
