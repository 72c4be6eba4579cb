using System.Net;
using System.Text.RegularExpressions;
using System.Xml;

namespace ClipLab.Corpus;

/// <summary>
/// The Dublin Core metadata of an Open Clip Art SVG: the <c>dc:title</c>, <c>dc:description</c> and the
/// <c>dc:subject</c> keywords (<c>rdf:li</c> items) of the <c>cc:Work</c> inside <c>&lt;metadata&gt;&lt;rdf:RDF&gt;</c>.
/// Text is cleaned: entities decoded (also double-escaped ones such as <c>&amp;amp;quot;</c>), tags removed,
/// whitespace collapsed.
/// </summary>
/// <param name="Title">The work's title ("" when absent).</param>
/// <param name="Description">The work's description ("" when absent).</param>
/// <param name="Keywords">Non-empty keywords in file order, without duplicates.</param>
public sealed partial record OpenClipartMetadata(string Title, string Description, IReadOnlyList<string> Keywords)
{
    private const string DublinCore = "http://purl.org/dc/elements/1.1/";

    /// <summary>Metadata with nothing in it.</summary>
    public static OpenClipartMetadata Empty { get; } = new("", "", []);

    /// <summary>Reads the metadata of the SVG at <paramref name="svgPath"/>, stopping after the <c>cc:Work</c> element.</summary>
    /// <exception cref="XmlException">The SVG is not well-formed before the end of its metadata.</exception>
    public static OpenClipartMetadata Read(string svgPath)
    {
        using var stream = File.OpenRead(svgPath);
        return Read(stream);
    }

    /// <summary>Reads the metadata from an SVG stream (see <see cref="Read(string)"/>).</summary>
    public static OpenClipartMetadata Read(Stream svg)
    {
        // Illustrator exports declare entities in an internal DTD; parse it, but never fetch external ones.
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Parse,
            XmlResolver = null,
            MaxCharactersFromEntities = 1 << 20,
            IgnoreComments = true,
        };
        using var reader = XmlReader.Create(svg, settings);
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Work")
            {
                using var work = reader.ReadSubtree();
                return ReadWork(work);
            }
        }
        return Empty;
    }

    private static OpenClipartMetadata ReadWork(XmlReader work)
    {
        string title = "", description = "";
        var keywords = new List<string>();
        work.Read(); // the Work element itself
        int workDepth = work.Depth;
        work.Read();
        // ReadInnerXml moves to the node after the element, so only call Read() when nothing was consumed.
        while (!work.EOF)
        {
            if (work.NodeType != XmlNodeType.Element || work.Depth != workDepth + 1 || work.NamespaceURI != DublinCore)
            {
                work.Read();
                continue;
            }
            switch (work.LocalName)
            {
                // Only the Work's own children: agents (publisher, creator) have dc:title elements too.
                case "title":
                    title = Clean(work.ReadInnerXml());
                    break;
                case "description":
                    description = Clean(work.ReadInnerXml());
                    break;
                case "subject":
                    using (var subject = work.ReadSubtree())
                    {
                        subject.Read();
                        while (!subject.EOF)
                        {
                            if (subject.NodeType != XmlNodeType.Element || subject.LocalName != "li")
                            {
                                subject.Read();
                                continue;
                            }
                            string keyword = Clean(subject.ReadInnerXml());
                            if (keyword.Length > 0 && !keywords.Contains(keyword, StringComparer.OrdinalIgnoreCase)) keywords.Add(keyword);
                        }
                    }
                    work.Skip(); // past the subject element
                    break;
                default:
                    work.Skip();
                    break;
            }
        }
        return new OpenClipartMetadata(title, description, keywords);
    }

    /// <summary>Decodes entities (twice, for double-escaped text), drops tags and collapses whitespace.</summary>
    internal static string Clean(string markup)
    {
        string text = WebUtility.HtmlDecode(WebUtility.HtmlDecode(Tag().Replace(markup, " ")));
        text = Tag().Replace(text, " "); // tags that were escaped in the XML
        return Whitespace().Replace(text, " ").Trim();
    }

    [GeneratedRegex("<[^<>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
