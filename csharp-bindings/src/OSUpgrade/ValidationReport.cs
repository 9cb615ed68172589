using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace OSUpgrade
{
    /// <summary>What validating a package on a distribution point found.</summary>
    public sealed class ValidationReport
    {
        /// <summary>Creates the record; the library's JSON fills it.</summary>
        /// <param name="packageId">The package ID.</param>
        /// <param name="distributionPoint">The point's name.</param>
        /// <param name="contentVersion">The content version installed on the point.</param>
        /// <param name="filesChecked">Files re-hashed.</param>
        /// <param name="missing">Files of the version that are not on the point.</param>
        /// <param name="altered">Files whose content differs.</param>
        /// <param name="unexpected">Files and folders on the point that the version does not have.</param>
        /// <param name="links">Links and other non-files in the package folder, never followed.</param>
        /// <param name="valid">True when nothing is missing, altered, unexpected or a link.</param>
        /// <param name="sitePath">The database path of the site the record came from.</param>
        [JsonConstructor]
        public ValidationReport(
            string packageId,
            string distributionPoint,
            long contentVersion,
            long filesChecked,
            IReadOnlyList<string> missing,
            IReadOnlyList<string> altered,
            IReadOnlyList<string> unexpected,
            IReadOnlyList<string> links,
            bool valid,
            string sitePath)
        {
            SitePath = sitePath;
            PackageId = packageId;
            DistributionPoint = distributionPoint;
            ContentVersion = contentVersion;
            FilesChecked = filesChecked;
            Missing = missing;
            Altered = altered;
            Unexpected = unexpected;
            Links = links;
            Valid = valid;
        }

        /// <summary>
        /// The database path of the site this record came from, so that a record handed on (a
        /// PowerShell pipeline) acts on its own site.
        /// </summary>
        public string SitePath { get; }

        /// <summary>The package ID.</summary>
        public string PackageId { get; }

        /// <summary>The distribution point's name.</summary>
        public string DistributionPoint { get; }

        /// <summary>The content version installed on the point.</summary>
        public long ContentVersion { get; }

        /// <summary>Files re-hashed.</summary>
        public long FilesChecked { get; }

        /// <summary>Files of the version that are not on the point (paths relative to the package folder).</summary>
        public IReadOnlyList<string> Missing { get; }

        /// <summary>Files whose content differs from the version's.</summary>
        public IReadOnlyList<string> Altered { get; }

        /// <summary>Files and folders on the point that the version does not have.</summary>
        public IReadOnlyList<string> Unexpected { get; }

        /// <summary>
        /// Symbolic links, junctions and other non-files found in the package folder; they are never
        /// followed, and the next distribution replaces them. "." is the package folder itself.
        /// </summary>
        public IReadOnlyList<string> Links { get; }

        /// <summary>True when nothing is missing, altered, unexpected or a link.</summary>
        public bool Valid { get; }
    }
}
