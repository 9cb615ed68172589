using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace OSUpgrade
{
    /// <summary>How a servicing run ended.</summary>
    public enum ServicingRunState
    {
        /// <summary>Under way.</summary>
        Running,

        /// <summary>Every update went in (or there was nothing left to apply).</summary>
        Succeeded,

        /// <summary>Continue-on-error let some updates fail; the others went in.</summary>
        PartiallySucceeded,

        /// <summary>Nothing changed: the package kept its content version.</summary>
        Failed,
    }

    /// <summary>One update's result on one image index of a run.</summary>
    public sealed class UpdateResult
    {
        /// <summary>Creates the record; the library's JSON fills it.</summary>
        [JsonConstructor]
        public UpdateResult(string updateId, string image, int imageIndex, string state, long? exitCode, string message)
        {
            UpdateId = updateId;
            Image = image;
            ImageIndex = imageIndex;
            State = state;
            ExitCode = exitCode;
            Message = message;
        }

        /// <summary>The update.</summary>
        public string UpdateId { get; }

        /// <summary>install or boot.</summary>
        public string Image { get; }

        /// <summary>The image index (0 when the update applied to none any more).</summary>
        public int ImageIndex { get; }

        /// <summary>Installed, Failed, NotRun, or Discarded (added, then thrown away with a run that stopped on a failure).</summary>
        public string State { get; }

        /// <summary>The engine's exit code when it failed.</summary>
        public long? ExitCode { get; }

        /// <summary>What happened, when it did not install.</summary>
        public string Message { get; }

        /// <inheritdoc/>
        public override string ToString() => $"{UpdateId} on {Image}:{ImageIndex}: {State}";
    }

    /// <summary>A servicing run of a package (Configuration Manager's SMS_ImageServicingProgress).</summary>
    public sealed class ServicingRun
    {
        /// <summary>Creates the record; the library's JSON fills it.</summary>
        [JsonConstructor]
        public ServicingRun(
            long id, long? scheduleId, string packageId, ServicingRunState state, string engine, long contentVersionFrom,
            long? contentVersionTo, string error, OSUpgradeStatus errorStatus, string logPath, DateTimeOffset startedAt,
            DateTimeOffset? finishedAt, bool pointsPending, string pointsError, IReadOnlyList<UpdateResult> results, string sitePath)
        {
            Id = id;
            ScheduleId = scheduleId;
            PackageId = packageId;
            State = state;
            Engine = engine;
            ContentVersionFrom = contentVersionFrom;
            ContentVersionTo = contentVersionTo;
            Error = error;
            ErrorStatus = errorStatus;
            LogPath = logPath;
            StartedAt = startedAt;
            FinishedAt = finishedAt;
            PointsPending = pointsPending;
            PointsError = pointsError;
            Results = results;
            SitePath = sitePath;
        }

        /// <summary>The run's ID.</summary>
        public long Id { get; }

        /// <summary>The schedule it ran.</summary>
        public long? ScheduleId { get; }

        /// <summary>The package it serviced.</summary>
        public string PackageId { get; }

        /// <summary>How it ended.</summary>
        public ServicingRunState State { get; }

        /// <summary>dism or command.</summary>
        public string Engine { get; }

        /// <summary>The content version it serviced.</summary>
        public long ContentVersionFrom { get; }

        /// <summary>The content version it made; null when it made none.</summary>
        public long? ContentVersionTo { get; }

        /// <summary>What went wrong, or empty.</summary>
        public string Error { get; }

        /// <summary>The class of <see cref="Error"/>; Ok when there is none.</summary>
        public OSUpgradeStatus ErrorStatus { get; }

        /// <summary>The engine's log of the run.</summary>
        public string LogPath { get; }

        /// <summary>When it started (UTC).</summary>
        public DateTimeOffset StartedAt { get; }

        /// <summary>When it finished (UTC); null while it runs.</summary>
        public DateTimeOffset? FinishedAt { get; }

        /// <summary>
        /// The distribution points that hold the package have yet to get the version the run made
        /// (<see cref="Site.RunDueSchedules"/> tries again at each call).
        /// </summary>
        public bool PointsPending { get; }

        /// <summary>What went wrong the last time the points were updated, or empty.</summary>
        public string PointsError { get; }

        /// <summary>Each update's result on each image index.</summary>
        public IReadOnlyList<UpdateResult> Results { get; }

        /// <summary>The database path of the site the record came from.</summary>
        public string SitePath { get; }

        /// <summary>The exception <see cref="Error"/> stands for, or null when the run did not fail.</summary>
        /// <returns>The exception, or null.</returns>
        public Exception? GetErrorException() =>
            ErrorStatus == OSUpgradeStatus.Ok ? null : OSUpgradeException.FromStatus(ErrorStatus, Error);

        /// <inheritdoc/>
        public override string ToString() => $"run {Id}: {State}";
    }

    /// <summary>The servicing engines.</summary>
    public enum ServicingEngineKind
    {
        /// <summary>Windows' DISM.</summary>
        Dism,

        /// <summary>An admin's program, called once per step.</summary>
        Command,
    }

    /// <summary>The engine a site services with, and whether this machine has it.</summary>
    public sealed class ServicingEngine
    {
        /// <summary>Creates the record, with the default maximum run time (two hours).</summary>
        public ServicingEngine(ServicingEngineKind engine, string? commandPath, bool available, string reason, string sitePath)
            : this(engine, commandPath, available, reason, TimeSpan.FromHours(2), sitePath)
        {
        }

        /// <summary>Creates the record; the library's JSON fills it.</summary>
        [JsonConstructor]
        public ServicingEngine(ServicingEngineKind engine, string? commandPath, bool available, string reason, TimeSpan maxRunTime, string sitePath)
        {
            Engine = engine;
            CommandPath = commandPath;
            Available = available;
            Reason = reason;
            MaxRunTime = maxRunTime;
            SitePath = sitePath;
        }

        /// <summary>The engine.</summary>
        public ServicingEngineKind Engine { get; }

        /// <summary>The command engine's program; null for dism.</summary>
        public string? CommandPath { get; }

        /// <summary>Whether this machine has it.</summary>
        public bool Available { get; }

        /// <summary>Why it is not available, or empty.</summary>
        public string Reason { get; }

        /// <summary>How long one step of the engine may run before it is ended with every process it started.</summary>
        [JsonPropertyName("maxRunSeconds")]
        [JsonConverter(typeof(SecondsConverter))]
        public TimeSpan MaxRunTime { get; }

        /// <summary>The database path of the site the record came from.</summary>
        public string SitePath { get; }

        /// <inheritdoc/>
        public override string ToString() => CommandPath == null ? Engine.ToString() : $"{Engine} ({CommandPath})";
    }

    /// <summary>A duration the library's JSON gives in whole seconds.</summary>
    internal sealed class SecondsConverter : JsonConverter<TimeSpan>
    {
        public override TimeSpan Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
            TimeSpan.FromSeconds(reader.GetInt64());

        public override void Write(System.Text.Json.Utf8JsonWriter writer, TimeSpan value, System.Text.Json.JsonSerializerOptions options) =>
            writer.WriteNumberValue((long)value.TotalSeconds);
    }
}
