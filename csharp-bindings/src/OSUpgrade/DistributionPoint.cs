using System;
using System.Text.Json.Serialization;

namespace OSUpgrade
{
    /// <summary>A distribution point: a folder (local disk, mounted share, UNC path) that holds packages.</summary>
    public sealed class DistributionPoint
    {
        /// <summary>Creates the record; the library's JSON fills it.</summary>
        /// <param name="name">The point's name, unique in the site.</param>
        /// <param name="path">The point's absolute folder path.</param>
        /// <param name="description">A description.</param>
        /// <param name="createdAt">When it was added.</param>
        /// <param name="modifiedAt">When it last changed.</param>
        /// <param name="sitePath">The database path of the site the record came from.</param>
        [JsonConstructor]
        public DistributionPoint(string name, string path, string description, DateTimeOffset createdAt, DateTimeOffset modifiedAt, string sitePath)
        {
            SitePath = sitePath;
            Name = name;
            Path = path;
            Description = description;
            CreatedAt = createdAt;
            ModifiedAt = modifiedAt;
        }

        /// <summary>
        /// The database path of the site this record came from, so that a record handed on (a
        /// PowerShell pipeline) acts on its own site.
        /// </summary>
        public string SitePath { get; }

        /// <summary>The point's name, unique in the site (any letter case).</summary>
        public string Name { get; }

        /// <summary>The point's absolute folder path; packages land in &lt;Path&gt;/&lt;package id&gt;/.</summary>
        public string Path { get; }

        /// <summary>A description.</summary>
        public string Description { get; }

        /// <summary>When it was added (UTC).</summary>
        public DateTimeOffset CreatedAt { get; }

        /// <summary>When it last changed (UTC).</summary>
        public DateTimeOffset ModifiedAt { get; }

        /// <inheritdoc/>
        public override string ToString() => Name;
    }
}
