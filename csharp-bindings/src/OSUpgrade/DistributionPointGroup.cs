using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace OSUpgrade
{
    /// <summary>
    /// A distribution point group (Configuration Manager's): points that are given the same packages.
    /// A point that joins the group is given the packages it carries.
    /// </summary>
    public sealed class DistributionPointGroup
    {
        /// <summary>Creates the record; the library's JSON fills it.</summary>
        /// <param name="id">The group's ID.</param>
        /// <param name="name">The group's name, unique in the site.</param>
        /// <param name="description">A description.</param>
        /// <param name="members">The names of its points.</param>
        /// <param name="packageIds">The packages it carries.</param>
        /// <param name="createdAt">When it was created.</param>
        /// <param name="modifiedAt">When it last changed.</param>
        /// <param name="sitePath">The database path of the site the record came from.</param>
        [JsonConstructor]
        public DistributionPointGroup(
            string id,
            string name,
            string description,
            IReadOnlyList<string> members,
            IReadOnlyList<string> packageIds,
            DateTimeOffset createdAt,
            DateTimeOffset modifiedAt,
            string sitePath)
        {
            SitePath = sitePath;
            Id = id;
            Name = name;
            Description = description;
            Members = members;
            PackageIds = packageIds;
            CreatedAt = createdAt;
            ModifiedAt = modifiedAt;
        }

        /// <summary>The database path of the site this record came from.</summary>
        public string SitePath { get; }

        /// <summary>
        /// The group's ID, as Configuration Manager's GroupID: a GUID in braces, e.g.
        /// {6F9619FF-8B86-4D11-B42D-00C04FC964FF}. It stays when the group is renamed.
        /// </summary>
        public string Id { get; }

        /// <summary>The group's name, unique in the site (any letter case).</summary>
        public string Name { get; }

        /// <summary>A description.</summary>
        public string Description { get; }

        /// <summary>The names of the group's distribution points.</summary>
        public IReadOnlyList<string> Members { get; }

        /// <summary>The packages distributed to the group: every member holds them, a point that joins later too.</summary>
        public IReadOnlyList<string> PackageIds { get; }

        /// <summary>When it was created (UTC).</summary>
        public DateTimeOffset CreatedAt { get; }

        /// <summary>When it last changed (UTC).</summary>
        public DateTimeOffset ModifiedAt { get; }

        /// <inheritdoc/>
        public override string ToString() => Name;
    }
}
