using System.CommandLine;
using ClipLab.Cli;
using ClipLab.Cli.Commands;
using ClipLab.Runtime;

// The GPU build carries no libtorch of its own: load PyTorch's before anything touches TorchSharp.
if (!LibTorchLocator.BuildCarriesLibTorch)
{
    try { LibTorchLocator.EnsureLoaded(); }
    catch (DeviceUnavailableException ex)
    {
        Console.Error.WriteLine($"error: {ex.Message}");
        return 2;
    }
}

var root = new RootCommand("ClipLab: pre-train and evaluate CLIP models under a compute budget.")
{
    DemoCommand.Create(),
    TrainCommand.Create(),
    EvalCommand.Create(),
    BenchCommand.Create(),
    DataCommand.Create(),
    ModelsCommand.Create(),
    DistributedCommand.Create(),
    ExportCommand.Create(),
    SafetensorsCommands.CreateImport(),
    EmbedCommand.Create(),
    SearchCommand.Create(),
    StudyReportCommand.CreateStudy(),
};
return CommandErrors.Invoke(root, args);
