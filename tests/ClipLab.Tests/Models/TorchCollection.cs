using Xunit;
namespace ClipLab.Tests.Models;

/// <summary>
/// Tests that seed or draw from TorchSharp's global RNG run serially, after the parallel tests, so seeding is reproducible.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    /// <summary>Collection name.</summary>
    public const string Name = "Torch (serial)";
}
