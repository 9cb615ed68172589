using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace OSUpgrade
{
    /// <summary>What kind of update a file is; servicing installs them in this order.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<UpdateClassification>))]
    public enum UpdateClassification
    {
        /// <summary>A servicing stack update (SSU): goes first, the others need it.</summary>
        ServicingStack,

        /// <summary>A latest cumulative update (LCU).</summary>
        Cumulative,

        /// <summary>A Safe OS dynamic update, for WinRE.</summary>
        SafeOs,

        /// <summary>A Setup dynamic update, for the setup medium.</summary>
        Setup,

        /// <summary>Any other update.</summary>
        Other,
    }

    /// <summary>An update file (.msu, .cab) in the site's catalog.</summary>
    public class SoftwareUpdate
    {
        /// <summary>Creates the record; the library's JSON fills it.</summary>
        [JsonConstructor]
        public SoftwareUpdate(
            string id, string kb, string title, UpdateClassification classification, string architecture, string product,
            IReadOnlyList<int> builds, string releaseDate, IReadOnlyList<string> supersedes, string fileName, string sha256,
            long size, DateTimeOffset importedAt, string sitePath)
        {
            Id = id;
            Kb = kb;
            Title = title;
            Classification = classification;
            Architecture = architecture;
            Product = product;
            Builds = builds;
            ReleaseDate = releaseDate;
            Supersedes = supersedes;
            FileName = fileName;
            Sha256 = sha256;
            Size = size;
            ImportedAt = importedAt;
            SitePath = sitePath;
        }

        /// <summary>The KB number and architecture, e.g. KB5034441-x64.</summary>
        public string Id { get; }

        /// <summary>The KB number, e.g. KB5034441.</summary>
        public string Kb { get; }

        /// <summary>The title.</summary>
        public string Title { get; }

        /// <summary>What kind of update it is.</summary>
        public UpdateClassification Classification { get; }

        /// <summary>x86, x64, arm64 or arm.</summary>
        public string Architecture { get; }

        /// <summary>Windows 10 or Windows 11, as the file name tells; empty when unknown.</summary>
        public string Product { get; }

        /// <summary>The OS builds (e.g. 19045) it applies to; empty: every build of <see cref="Product"/>.</summary>
        public IReadOnlyList<int> Builds { get; }

        /// <summary>The release date, YYYY-MM-DD, or empty.</summary>
        public string ReleaseDate { get; }

        /// <summary>The KB numbers it replaces.</summary>
        public IReadOnlyList<string> Supersedes { get; }

        /// <summary>The update file's name.</summary>
        public string FileName { get; }

        /// <summary>The SHA-256 of the file, its name in the content library.</summary>
        public string Sha256 { get; }

        /// <summary>The file's size in bytes.</summary>
        public long Size { get; }

        /// <summary>When it was imported (UTC).</summary>
        public DateTimeOffset ImportedAt { get; }

        /// <summary>The database path of the site the record came from.</summary>
        public string SitePath { get; }

        /// <inheritdoc/>
        public override string ToString() => Id;
    }

    /// <summary>An update of the catalog that applies to a package, and the install.wim indexes it applies to.</summary>
    public sealed class ApplicableUpdate : SoftwareUpdate
    {
        /// <summary>Creates the record; the library's JSON fills it.</summary>
        [JsonConstructor]
        public ApplicableUpdate(
            string id, string kb, string title, UpdateClassification classification, string architecture, string product,
            IReadOnlyList<int> builds, string releaseDate, IReadOnlyList<string> supersedes, string fileName, string sha256,
            long size, DateTimeOffset importedAt, string sitePath, string packageId, IReadOnlyList<int> imageIndexes,
            IReadOnlyList<string> targets)
            : base(id, kb, title, classification, architecture, product, builds, releaseDate, supersedes, fileName, sha256, size, importedAt, sitePath)
        {
            PackageId = packageId;
            ImageIndexes = imageIndexes;
            Targets = targets;
        }

        /// <summary>The package it applies to.</summary>
        public string PackageId { get; }

        /// <summary>The install.wim indexes it applies to (for a Safe OS update: whose WinRE).</summary>
        public IReadOnlyList<int> ImageIndexes { get; }

        /// <summary>The images it is for, by its classification: install, winre, boot.</summary>
        public IReadOnlyList<string> Targets { get; }
    }

    /// <summary>A catalog update that does not apply to a package, and why.</summary>
    public sealed class NotApplicableUpdate : SoftwareUpdate
    {
        /// <summary>Creates the record; the library's JSON fills it.</summary>
        [JsonConstructor]
        public NotApplicableUpdate(
            string id, string kb, string title, UpdateClassification classification, string architecture, string product,
            IReadOnlyList<int> builds, string releaseDate, IReadOnlyList<string> supersedes, string fileName, string sha256,
            long size, DateTimeOffset importedAt, string sitePath, string packageId, string reason)
            : base(id, kb, title, classification, architecture, product, builds, releaseDate, supersedes, fileName, sha256, size, importedAt, sitePath)
        {
            PackageId = packageId;
            Reason = reason;
        }

        /// <summary>The package it does not apply to.</summary>
        public string PackageId { get; }

        /// <summary>
        /// Why it is not offered: another architecture or build, in the image already, superseded (and by which), a
        /// Setup dynamic update, no WinRE for a Safe OS update.
        /// </summary>
        public string Reason { get; }
    }

    /// <summary>
    /// An update an image of a package holds: found in it when it was imported (Origin "image") or
    /// applied by a servicing run (Origin "serviced"), with the content version it first appeared in.
    /// </summary>
    public sealed class AppliedUpdate
    {
        /// <summary>Creates the record; the library's JSON fills it.</summary>
        [JsonConstructor]
        public AppliedUpdate(
            string packageId, string image, int imageIndex, string kb, string build, string? updateId, string origin,
            long? runId, long contentVersion, DateTimeOffset appliedAt, string sitePath)
        {
            PackageId = packageId;
            Image = image;
            ImageIndex = imageIndex;
            Kb = kb;
            Build = build;
            UpdateId = updateId;
            Origin = origin;
            RunId = runId;
            ContentVersion = contentVersion;
            AppliedAt = appliedAt;
            SitePath = sitePath;
        }

        /// <summary>The package.</summary>
        public string PackageId { get; }

        /// <summary>install (sources/install.wim), winre (the WinRE image inside install's index) or boot (sources/boot.wim).</summary>
        public string Image { get; }

        /// <summary>The image index.</summary>
        public int ImageIndex { get; }

        /// <summary>The KB number.</summary>
        public string Kb { get; }

        /// <summary>The build the update brings (e.g. 19041.1415), where the image says so.</summary>
        public string Build { get; }

        /// <summary>The catalog update a servicing run applied; null for what the image held.</summary>
        public string? UpdateId { get; }

        /// <summary>image or serviced.</summary>
        public string Origin { get; }

        /// <summary>The servicing run that applied it; null for what the image held.</summary>
        public long? RunId { get; }

        /// <summary>The content version the update first appeared in.</summary>
        public long ContentVersion { get; }

        /// <summary>When it was recorded (UTC).</summary>
        public DateTimeOffset AppliedAt { get; }

        /// <summary>The database path of the site the record came from.</summary>
        public string SitePath { get; }

        /// <inheritdoc/>
        public override string ToString() => Kb;
    }
}
