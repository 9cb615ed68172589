using System;
using System.Text.Json.Serialization;

namespace OSUpgrade
{
    /// <summary>The state of a package on a distribution point, in Configuration Manager's words.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<DistributionState>))]
    public enum DistributionState
    {
        /// <summary>Targeted, not started yet.</summary>
        Waiting,

        /// <summary>Being distributed.</summary>
        InProgress,

        /// <summary>The point holds the target content version.</summary>
        Installed,

        /// <summary>
        /// The last distribution or validation failed, or the process distributing died (its
        /// <see cref="DistributionStatus.LastError"/> then starts with "interrupted").
        /// </summary>
        Failed,

        /// <summary>Being distributed again after a failure.</summary>
        Retrying,
    }

    /// <summary>A package on a distribution point.</summary>
    public sealed class DistributionStatus
    {
        /// <summary>Creates the record; the library's JSON fills it.</summary>
        /// <param name="packageId">The package ID.</param>
        /// <param name="distributionPoint">The point's name.</param>
        /// <param name="targetContentVersion">The content version last sent to the point.</param>
        /// <param name="installedContentVersion">The content version the point holds, if any.</param>
        /// <param name="state">The state.</param>
        /// <param name="bytesTotal">Bytes the last run had to copy.</param>
        /// <param name="bytesCopied">Bytes the last run copied from the site's library.</param>
        /// <param name="bytesReused">Bytes the last run took from what the point already held.</param>
        /// <param name="filesCopied">Files the last run copied.</param>
        /// <param name="lastError">The last failure, or empty.</param>
        /// <param name="lastErrorStatus">The class of the last failure, or <see cref="OSUpgradeStatus.Ok"/>.</param>
        /// <param name="startedAt">When the last run started.</param>
        /// <param name="finishedAt">When the last run finished.</param>
        /// <param name="modifiedAt">When the record last changed.</param>
        /// <param name="sitePath">The database path of the site the record came from.</param>
        [JsonConstructor]
        public DistributionStatus(
            string packageId,
            string distributionPoint,
            long targetContentVersion,
            long? installedContentVersion,
            DistributionState state,
            long bytesTotal,
            long bytesCopied,
            long bytesReused,
            long filesCopied,
            string lastError,
            OSUpgradeStatus lastErrorStatus,
            DateTimeOffset? startedAt,
            DateTimeOffset? finishedAt,
            DateTimeOffset modifiedAt,
            string sitePath)
        {
            SitePath = sitePath;
            PackageId = packageId;
            DistributionPoint = distributionPoint;
            TargetContentVersion = targetContentVersion;
            InstalledContentVersion = installedContentVersion;
            State = state;
            BytesTotal = bytesTotal;
            BytesCopied = bytesCopied;
            BytesReused = bytesReused;
            FilesCopied = filesCopied;
            LastError = lastError;
            LastErrorStatus = lastErrorStatus;
            StartedAt = startedAt;
            FinishedAt = finishedAt;
            ModifiedAt = modifiedAt;
        }

        /// <summary>Creates the record of a run that reused nothing.</summary>
        /// <param name="packageId">The package ID.</param>
        /// <param name="distributionPoint">The point's name.</param>
        /// <param name="targetContentVersion">The content version last sent to the point.</param>
        /// <param name="installedContentVersion">The content version the point holds, if any.</param>
        /// <param name="state">The state.</param>
        /// <param name="bytesTotal">Bytes the last run had to copy.</param>
        /// <param name="bytesCopied">Bytes the last run copied.</param>
        /// <param name="filesCopied">Files the last run copied.</param>
        /// <param name="lastError">The last failure, or empty.</param>
        /// <param name="lastErrorStatus">The class of the last failure, or <see cref="OSUpgradeStatus.Ok"/>.</param>
        /// <param name="startedAt">When the last run started.</param>
        /// <param name="finishedAt">When the last run finished.</param>
        /// <param name="modifiedAt">When the record last changed.</param>
        /// <param name="sitePath">The database path of the site the record came from.</param>
        public DistributionStatus(
            string packageId,
            string distributionPoint,
            long targetContentVersion,
            long? installedContentVersion,
            DistributionState state,
            long bytesTotal,
            long bytesCopied,
            long filesCopied,
            string lastError,
            OSUpgradeStatus lastErrorStatus,
            DateTimeOffset? startedAt,
            DateTimeOffset? finishedAt,
            DateTimeOffset modifiedAt,
            string sitePath)
            : this(packageId, distributionPoint, targetContentVersion, installedContentVersion, state, bytesTotal, bytesCopied, 0, filesCopied, lastError, lastErrorStatus, startedAt, finishedAt, modifiedAt, sitePath)
        {
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

        /// <summary>The content version last sent to the point.</summary>
        public long TargetContentVersion { get; }

        /// <summary>The content version the point holds, or null.</summary>
        public long? InstalledContentVersion { get; }

        /// <summary>The state.</summary>
        public DistributionState State { get; }

        /// <summary>Bytes the last run had to copy.</summary>
        public long BytesTotal { get; }

        /// <summary>Bytes the last run copied from the site's library.</summary>
        public long BytesCopied { get; }

        /// <summary>
        /// Bytes the last run took from what the point already held: the unchanged ranges of a
        /// large file's earlier version there, which it did not have to copy.
        /// </summary>
        public long BytesReused { get; }

        /// <summary>Files the last run copied.</summary>
        public long FilesCopied { get; }

        /// <summary>The last failure, or empty.</summary>
        public string LastError { get; }

        /// <summary>
        /// The class of the last failure (<see cref="OSUpgradeStatus.Busy"/>,
        /// <see cref="OSUpgradeStatus.IO"/>, <see cref="OSUpgradeStatus.DamagedContent"/>, …), or
        /// <see cref="OSUpgradeStatus.Ok"/> when there is none.
        /// </summary>
        public OSUpgradeStatus LastErrorStatus { get; }

        /// <summary>
        /// The exception a caller would have caught for the last failure (the same type the
        /// library's calls throw for its status), or null when the last run did not fail.
        /// </summary>
        /// <returns>The exception, not thrown.</returns>
        public Exception? GetLastErrorException() =>
            LastErrorStatus == OSUpgradeStatus.Ok ? null : OSUpgradeException.FromStatus(LastErrorStatus, LastError);

        /// <summary>When the last run started (UTC).</summary>
        public DateTimeOffset? StartedAt { get; }

        /// <summary>When the last run finished (UTC).</summary>
        public DateTimeOffset? FinishedAt { get; }

        /// <summary>When the record last changed (UTC).</summary>
        public DateTimeOffset ModifiedAt { get; }
    }

    /// <summary>Where a package stands across all distribution points.</summary>
    public sealed class DistributionSummary
    {
        /// <summary>Creates the record; the library's JSON fills it.</summary>
        /// <param name="packageId">The package ID.</param>
        /// <param name="packageName">The package name.</param>
        /// <param name="contentVersion">The package's current content version.</param>
        /// <param name="targeted">Points the package was sent to.</param>
        /// <param name="installed">Points that hold its current content version.</param>
        /// <param name="inProgress">Points waiting, in progress or retrying.</param>
        /// <param name="failed">Points where it failed.</param>
        /// <param name="sitePath">The database path of the site the record came from.</param>
        [JsonConstructor]
        public DistributionSummary(string packageId, string packageName, long contentVersion, long targeted, long installed, long inProgress, long failed, string sitePath)
        {
            SitePath = sitePath;
            PackageId = packageId;
            PackageName = packageName;
            ContentVersion = contentVersion;
            Targeted = targeted;
            Installed = installed;
            InProgress = inProgress;
            Failed = failed;
        }

        /// <summary>
        /// The database path of the site this record came from, so that a record handed on (a
        /// PowerShell pipeline) acts on its own site.
        /// </summary>
        public string SitePath { get; }

        /// <summary>The package ID.</summary>
        public string PackageId { get; }

        /// <summary>The package name.</summary>
        public string PackageName { get; }

        /// <summary>The package's current content version.</summary>
        public long ContentVersion { get; }

        /// <summary>Points the package was sent to.</summary>
        public long Targeted { get; }

        /// <summary>Points that hold its current content version.</summary>
        public long Installed { get; }

        /// <summary>Points waiting, in progress or retrying.</summary>
        public long InProgress { get; }

        /// <summary>Points where it failed.</summary>
        public long Failed { get; }
    }
}
