using System.CommandLine;
using ClipLab.Cli;
using ClipLab.Cli.Commands;

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
};
return CommandErrors.Invoke(root, args);
