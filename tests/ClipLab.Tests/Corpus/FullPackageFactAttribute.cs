using Xunit;

namespace ClipLab.Tests.Corpus;

/// <summary>
/// A test that reads a whole expensive package (Open Clip Art takes about 3 minutes on 2 cores); it runs only when
/// the environment variable CLIPLAB_FULL_IMPORT=1 is set, e.g. to re-measure the counts in docs/data.md.
/// </summary>
public sealed class FullPackageFactAttribute : FactAttribute
{
    /// <summary>Skips unless CLIPLAB_FULL_IMPORT=1.</summary>
    public FullPackageFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CLIPLAB_FULL_IMPORT") != "1")
            Skip = "reads a whole package; set CLIPLAB_FULL_IMPORT=1 to run";
    }
}
