using ClipLab.Training;

namespace ClipLab.Studies;

/// <summary>What a running study reports; the CLI renders these (the library writes nothing to the console).</summary>
public abstract record StudyEvent;

/// <summary>The runs of this invocation are known: <paramref name="RunIds"/> (this shard's, in order), of which <paramref name="Finished"/> are already in the store.</summary>
/// <param name="RunIds">This shard's runs, in plan order.</param>
/// <param name="Finished">Ids already finished (skipped: they are not trained again).</param>
public sealed record StudyPlanned(IReadOnlyList<string> RunIds, IReadOnlySet<string> Finished) : StudyEvent;

/// <summary>A preparation step (the scorer step of a data-quality study) begins; <paramref name="Message"/> says which.</summary>
/// <param name="Message">What is being prepared.</param>
public sealed record StudyStepStarted(string Message) : StudyEvent;

/// <summary>A run starts training, fresh or resumed from its checkpoint.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Resumed">Whether it continues from a checkpoint of an earlier, interrupted attempt.</param>
public sealed record StudyRunStarted(string RunId, bool Resumed) : StudyEvent;

/// <summary>A training step of a run finished.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Progress">The trainer's progress.</param>
public sealed record StudyRunProgressed(string RunId, TrainingProgress Progress) : StudyEvent;

/// <summary>A run is being evaluated (training is done).</summary>
/// <param name="RunId">The run.</param>
public sealed record StudyRunEvaluating(string RunId) : StudyEvent;

/// <summary>A run finished and its row is in the store.</summary>
/// <param name="Record">The row.</param>
public sealed record StudyRunFinished(StudyRunRecord Record) : StudyEvent;
