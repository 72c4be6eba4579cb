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
    new Command("export", "Write a checkpoint's weights in another format.") { SafetensorsCommands.CreateExport() },
    SafetensorsCommands.CreateImport(),
};
return CommandErrors.Invoke(root, args);
