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
        var samplesSeen = new Option<long?>("--samples-seen") { Description = "Budget: training samples seen (overrides the config's budget)." };
        var epochs = new Option<double?>("--epochs") { Description = "Budget: passes over the training set (overrides the config's budget)." };
        var budgetGflops = new Option<double?>("--budget-gflops") { Description = "Budget: total training compute in GFLOPs (overrides the config's budget; see `cliplab models`)." };
        var strategy = new Option<string?>("--strategy") { Description = $"Training strategy: {string.Join(", ", StrategyConfig.Names)} (overrides training.strategy; a different strategy starts from its defaults)." };
        var loss = new Option<string?>("--loss") { Description = $"Image–text loss: {string.Join(", ", LossConfig.Names)} (overrides training.loss)." };
        var trainSubset = new Option<int?>("--train-subset") { Description = "Train on a seeded random subset of N unique training images (overrides data.trainSubset; the budget is unchanged)." };
        var set = new Option<string[]>("--set")
        {
            Description = "Change a config key, e.g. --set training.optimizer=adafactor (repeatable; see docs/config.md). With --resume only keys that are safe to change mid-run.",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("train", "Train a CLIP model from a config file, or resume an interrupted run.")
            { config, output, resume, model, tokenizer, samplesSeen, epochs, budgetGflops, strategy, loss, trainSubset, set };
        var runtime = new RuntimeOptions();
        runtime.AddTo(command);
        command.SetAction((parse, cancellation) => Task.FromResult(Run(parse.GetValue(config), parse.GetValue(output), parse.GetValue(resume),
            parse.GetValue(model), parse.GetValue(tokenizer),
            new BudgetOverride(parse.GetValue(samplesSeen), parse.GetValue(epochs), parse.GetValue(budgetGflops)),
            new LeverOverride(parse.GetValue(strategy), parse.GetValue(loss), parse.GetValue(trainSubset)), parse.GetValue(set) ?? [],
            c => runtime.ApplyTo(c, parse), parse.GetValue(runtime.Precision) is not null, cancellation)));
        return command;
    }

    private static int Run(string? configPath, string? output, string? resume, string? model, string? tokenizer,
        BudgetOverride budget, LeverOverride levers, string[] settings,
        Func<RunConfig, RunConfig> applyRuntime, bool precisionSet, CancellationToken cancellation)
    {
        if (resume is not null)
        {
            if (model is not null || tokenizer is not null || budget.IsSet || levers.IsSet || precisionSet)
                throw new ConfigException("--model, --tokenizer, --strategy, --loss, --train-subset, --precision and budget flags cannot change a run that is being resumed; " +
                    "extend the budget with --set training.samplesSeen=N, or start a new run.");
            if (output is not null && Path.GetFullPath(output) != Path.GetFullPath(resume))
                throw new ConfigException("--out and --resume name different folders; a resumed run stays in its own folder.");
            if (configPath is not null)
                AnsiConsole.MarkupLine("[yellow]--config is ignored when resuming: the run continues with the config saved in its checkpoint, " +
                    "changed only by --set and by edits of the run folder's config.json.[/]");
            // Only the device may change besides --set: a resumed run may continue on another machine.
            return RunExecution.Execute(applyRuntime(new RunConfig()), Path.GetFullPath(resume), resume: true, "Training (resumed)", cancellation, settings);
        }
        if (configPath is null)
            throw new ConfigException("train needs --config FILE (a new run) or --resume DIR (continue a run). See docs/config.md.");
        var config = ConfigSettings.Apply(ConfigJson.Load<RunConfig>(configPath), settings);
        if (model is not null) config = config with { Model = model, ModelConfig = null };
        if (tokenizer is not null) config = config with { Tokenizer = config.Tokenizer with { Path = tokenizer } };
        if (budget.IsSet) config = config with { Training = budget.ApplyTo(config.Training) };
        // The trainer validates the config, once, before it writes anything.
        config = applyRuntime(levers.ApplyTo(config));
        string runDirectory = Path.GetFullPath(output ?? Path.Combine("runs", Path.GetFileNameWithoutExtension(configPath)));
        return RunExecution.Execute(config, runDirectory, resume: false, "Training", cancellation);
    }

    /// <summary>The paper's levers as flags of <c>train</c>: each replaces its config key and leaves the rest (the budget included) alone.</summary>
    private sealed record LeverOverride(string? Strategy, string? Loss, int? TrainSubset)
    {
        public bool IsSet => Strategy is not null || Loss is not null || TrainSubset is not null;

        public RunConfig ApplyTo(RunConfig config) => (config with
        {
            Data = config.Data with { TrainSubset = TrainSubset ?? config.Data.TrainSubset },
        }).WithStrategy(Strategy ?? config.Training.Strategy.Name).WithLoss(Loss ?? config.Training.Loss.Name);
    }

    /// <summary>The budget flags of <c>train</c>: at most one, and it replaces whatever budget the config sets.</summary>
    private sealed record BudgetOverride(long? SamplesSeen, double? Epochs, double? Gflops)
    {
        public bool IsSet => SamplesSeen is not null || Epochs is not null || Gflops is not null;

        public TrainingConfig ApplyTo(TrainingConfig training)
        {
            if ((SamplesSeen is null ? 0 : 1) + (Epochs is null ? 0 : 1) + (Gflops is null ? 0 : 1) > 1)
                throw new ConfigException("--samples-seen, --epochs and --budget-gflops each set the run's budget; give only one of them.");
            return training with
            {
                SamplesSeen = SamplesSeen ?? training.SamplesSeen,
                Epochs = Epochs,
                BudgetGflops = Gflops,
            };
        }
    }
}
