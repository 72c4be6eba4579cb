using ClipLab.Studies.Reporting;

namespace ClipLab.Studies;

/// <summary>
/// The finished runs of a study folder as the report reads them: the rows of its results store (<see cref="StudyStore"/>),
/// or, in a folder without a store, its <c>results.jsonl</c> (<see cref="JsonLinesStudyResults"/>, the exchange format).
/// </summary>
public sealed class StudyStoreResults : IStudyResults
{
    /// <inheritdoc />
    public IReadOnlyList<StudyRunRecord> Load(string studyDirectory)
    {
        if (!File.Exists(Path.Combine(studyDirectory, StudyStore.FileName))) return new JsonLinesStudyResults().Load(studyDirectory);
        using var store = StudyStore.OpenExisting(studyDirectory);
        return store.Records();
    }
}
