using System.CommandLine;
using ClipLab.Configuration;
using Spectre.Console;

namespace ClipLab.Cli.Commands;

/// <summary><c>cliplab train</c>: trains from a JSON config, or resumes a run folder.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Run config (JSON; see docs/config.md)." };
        var output = new Option<string?>("--out") { Description = "Run folder for checkpoints, metrics and results (default: runs/<config name>)." };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this folder from its latest checkpoint." };
        var model = new Option<string?>("--model") { Description = "Override the config's registered model name (e.g. clip-vit-micro-p4-32)." };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "Override the config's tokenizer with any SentencePiece .model file." };
        var command = new Command("train", "Train a CLIP model from a config file, or resume an interrupted run.") { config, output, resume, model, tokenizer };
        command.SetAction((parse, cancellation) => Task.FromResult(Run(parse.GetValue(config), parse.GetValue(output), parse.GetValue(resume),
            parse.GetValue(model), parse.GetValue(tokenizer), cancellation)));
        return command;
    }

    private static int Run(string? configPath, string? output, string? resume, string? model, string? tokenizer,
        CancellationToken cancellation)
    {
        if (resume is not null)
        {
            if (model is not null || tokenizer is not null)
                throw new ConfigException("--model and --tokenizer cannot change a run that is being resumed; start a new run instead.");
            if (output is not null && Path.GetFullPath(output) != Path.GetFullPath(resume))
                throw new ConfigException("--out and --resume name different folders; a resumed run stays in its own folder.");
            if (configPath is not null)
                AnsiConsole.MarkupLine("[yellow]--config is ignored when resuming: the run continues with the config saved in its folder.[/]");
            return RunExecution.Execute(new RunConfig(), Path.GetFullPath(resume), resume: true, "Training (resumed)", cancellation);
        }
        if (configPath is null)
            throw new ConfigException("train needs --config FILE (a new run) or --resume DIR (continue a run). See docs/config.md.");
        var config = ConfigJson.Load<RunConfig>(configPath);
        if (model is not null) config = config with { Model = model, ModelConfig = null };
        if (tokenizer is not null) config = config with { Tokenizer = config.Tokenizer with { Path = tokenizer } };
        config.Validate();
        string runDirectory = Path.GetFullPath(output ?? Path.Combine("runs", Path.GetFileNameWithoutExtension(configPath)));
        return RunExecution.Execute(config, runDirectory, resume: false, "Training", cancellation);
    }
}
