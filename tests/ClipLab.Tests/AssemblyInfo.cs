using Xunit;

// libtorch's random generator and thread count are process-wide: tests that seed, build models or train
// would interleave their draws if run in parallel, and with 2 cores parallel classes gain little anyway.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
