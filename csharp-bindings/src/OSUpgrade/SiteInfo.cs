using System.Text.Json.Serialization;

namespace OSUpgrade
{
    /// <summary>A site's summary: where it is, its code, what its content library holds.</summary>
    public sealed class SiteInfo
    {
        /// <summary>Creates the record; the library's JSON fills it.</summary>
        /// <param name="databasePath">The site database file.</param>
        /// <param name="libraryPath">The content library folder.</param>
        /// <param name="siteCode">The three-character site code.</param>
        /// <param name="schemaVersion">The database schema version.</param>
        /// <param name="packageCount">Number of packages.</param>
        /// <param name="blobCount">Number of distinct file contents in the library.</param>
        /// <param name="librarySize">Bytes the library holds.</param>
        /// <param name="contentSize">Bytes of all packages' content, each counted on its own.</param>
        /// <param name="bytesSaved">What single-instance storage saves.</param>
        /// <param name="retainedContentVersions">Retired content versions each package keeps.</param>
        /// <param name="sitePath">The database path of the site the record came from.</param>
        [JsonConstructor]
        public SiteInfo(
            string databasePath,
            string libraryPath,
            string siteCode,
            long schemaVersion,
            long packageCount,
            long blobCount,
            long librarySize,
            long contentSize,
            long bytesSaved,
            int retainedContentVersions,
            string sitePath)
        {
            SitePath = sitePath;
            RetainedContentVersions = retainedContentVersions;
            DatabasePath = databasePath;
            LibraryPath = libraryPath;
            SiteCode = siteCode;
            SchemaVersion = schemaVersion;
            PackageCount = packageCount;
            BlobCount = blobCount;
            LibrarySize = librarySize;
            ContentSize = contentSize;
            BytesSaved = bytesSaved;
        }

        /// <summary>
        /// The database path of the site this record came from, so that a record handed on (a
        /// PowerShell pipeline) acts on its own site.
        /// </summary>
        public string SitePath { get; }

        /// <summary>The site database file.</summary>
        public string DatabasePath { get; }

        /// <summary>The content library folder.</summary>
        public string LibraryPath { get; }

        /// <summary>The three-character site code that prefixes package IDs.</summary>
        public string SiteCode { get; }

        /// <summary>The database schema version.</summary>
        public long SchemaVersion { get; }

        /// <summary>Number of packages.</summary>
        public long PackageCount { get; }

        /// <summary>Number of distinct file contents in the library.</summary>
        public long BlobCount { get; }

        /// <summary>Bytes the content library holds.</summary>
        public long LibrarySize { get; }

        /// <summary>Bytes of all packages' content, each counted on its own.</summary>
        public long ContentSize { get; }

        /// <summary>What single-instance storage saves: content size less library size.</summary>
        public long BytesSaved { get; }

        /// <summary>
        /// Retired content versions each package keeps beside its current one, so that a point still
        /// holding one can be validated against it (<see cref="Site.SetRetainedContentVersions"/>).
        /// </summary>
        public int RetainedContentVersions { get; }
    }
}
