namespace ClipLab.Studies.Reporting;

/// <summary>
/// Where a report reads a study's finished runs from: the results store of a study folder.
/// </summary>
public interface IStudyResults
{
    /// <summary>Every finished run recorded in <paramref name="studyDirectory"/>, in the order they were recorded.</summary>
    /// <exception cref="FileNotFoundException">The folder holds no results.</exception>
    /// <exception cref="InvalidDataException">The results are unreadable; the message names the place.</exception>
    IReadOnlyList<StudyRunRecord> Load(string studyDirectory);
}
