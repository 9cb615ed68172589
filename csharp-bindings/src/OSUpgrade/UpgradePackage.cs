using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace OSUpgrade
{
    /// <summary>An operating-system upgrade package as the site records it.</summary>
    public sealed class UpgradePackage
    {
        /// <summary>Creates the record; the library's JSON fills it.</summary>
        /// <param name="id">The package ID: site code and five hex digits, e.g. OSU00001.</param>
        /// <param name="name">The package name.</param>
        /// <param name="version">The package version.</param>
        /// <param name="comment">The comment.</param>
        /// <param name="sourcePath">The setup source folder it was added from.</param>
        /// <param name="contentVersion">The content version, from 1.</param>
        /// <param name="size">Bytes of content.</param>
        /// <param name="fileCount">Number of files.</param>
        /// <param name="createdAt">When it was added.</param>
        /// <param name="modifiedAt">When it last changed.</param>
        /// <param name="images">The images of its install.wim or install.esd.</param>
        /// <param name="sitePath">The database path of the site the record came from.</param>
        [JsonConstructor]
        public UpgradePackage(
            string id,
            string name,
            string version,
            string comment,
            string sourcePath,
            long contentVersion,
            long size,
            long fileCount,
            DateTimeOffset createdAt,
            DateTimeOffset modifiedAt,
            IReadOnlyList<ImageInfo> images,
            string sitePath)
        {
            SitePath = sitePath;
            Id = id;
            Name = name;
            Version = version;
            Comment = comment;
            SourcePath = sourcePath;
            ContentVersion = contentVersion;
            Size = size;
            FileCount = fileCount;
            CreatedAt = createdAt;
            ModifiedAt = modifiedAt;
            Images = images;
        }

        /// <summary>
        /// The database path of the site this record came from, so that a record handed on (a
        /// PowerShell pipeline) acts on its own site.
        /// </summary>
        public string SitePath { get; }

        /// <summary>The package ID: site code and five hex digits, e.g. OSU00001.</summary>
        public string Id { get; }

        /// <summary>The package name.</summary>
        public string Name { get; }

        /// <summary>The package version (free text).</summary>
        public string Version { get; }

        /// <summary>The comment.</summary>
        public string Comment { get; }

        /// <summary>The setup source folder it was added from.</summary>
        public string SourcePath { get; }

        /// <summary>The content version, from 1; servicing the image makes a new one.</summary>
        public long ContentVersion { get; }

        /// <summary>Bytes of content.</summary>
        public long Size { get; }

        /// <summary>Number of files.</summary>
        public long FileCount { get; }

        /// <summary>When it was added (UTC).</summary>
        public DateTimeOffset CreatedAt { get; }

        /// <summary>When it last changed (UTC).</summary>
        public DateTimeOffset ModifiedAt { get; }

        /// <summary>The images (indexes) of its install.wim or install.esd.</summary>
        public IReadOnlyList<ImageInfo> Images { get; }

        /// <inheritdoc/>
        public override string ToString() => $"{Id} {Name} {Version}".TrimEnd();
    }
}
