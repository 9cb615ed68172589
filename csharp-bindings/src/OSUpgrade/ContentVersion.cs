using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace OSUpgrade
{
    /// <summary>Where a content version of a package stands.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<ContentVersionState>))]
    public enum ContentVersionState
    {
        /// <summary>The version the package is at: what distribution sends.</summary>
        Current,

        /// <summary>An earlier version the library keeps (the site's retained content versions), to validate points against.</summary>
        Retained,

        /// <summary>An earlier version no longer kept: its files went once no version used them.</summary>
        Collected,
    }

    /// <summary>A content version of a package, as <see cref="Site.GetContentVersions"/> lists them.</summary>
    public sealed class ContentVersion
    {
        /// <summary>Creates the record; the library's JSON fills it.</summary>
        /// <param name="packageId">The package.</param>
        /// <param name="number">The version number.</param>
        /// <param name="state">Current, retained or collected.</param>
        /// <param name="origin">How it came (added, reloaded, serviced); null for a collected version.</param>
        /// <param name="createdAt">When it was made (UTC); null for a collected version.</param>
        /// <param name="size">The bytes of its files; 0 for a collected version.</param>
        /// <param name="distributionPoints">The points that hold it.</param>
        /// <param name="sitePath">The database path of the site the record came from.</param>
        [JsonConstructor]
        public ContentVersion(
            string packageId, long number, ContentVersionState state, string? origin, DateTimeOffset? createdAt, long size,
            IReadOnlyList<string> distributionPoints, string sitePath)
        {
            PackageId = packageId;
            Number = number;
            State = state;
            Origin = origin;
            CreatedAt = createdAt;
            Size = size;
            DistributionPoints = distributionPoints;
            SitePath = sitePath;
        }

        /// <summary>The package.</summary>
        public string PackageId { get; }

        /// <summary>The version number.</summary>
        public long Number { get; }

        /// <summary>Current, retained or collected.</summary>
        public ContentVersionState State { get; }

        /// <summary>How it came: added, reloaded or serviced; null for a collected version.</summary>
        public string? Origin { get; }

        /// <summary>When it was made (UTC); null for a collected version.</summary>
        public DateTimeOffset? CreatedAt { get; }

        /// <summary>The bytes of its files; 0 for a collected version.</summary>
        public long Size { get; }

        /// <summary>The distribution points that hold it, by name.</summary>
        public IReadOnlyList<string> DistributionPoints { get; }

        /// <summary>The database path of the site the record came from.</summary>
        public string SitePath { get; }

        /// <inheritdoc/>
        public override string ToString() => $"{PackageId} v{Number} ({State})";
    }
}
