using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OSUpgrade
{
    /// <summary>The kinds of recurrence a servicing schedule has.</summary>
    public enum RecurrenceKind
    {
        /// <summary>Once, at the start.</summary>
        Once,

        /// <summary>Every N hours from the start.</summary>
        Hours,

        /// <summary>Every N days at the start's time of day.</summary>
        Days,

        /// <summary>Every week on chosen days.</summary>
        Weekly,

        /// <summary>Every month on a day (a shorter month runs on its last day).</summary>
        MonthlyOnDay,

        /// <summary>Every month on the Nth weekday, plus an offset in days (Patch Tuesday + 7).</summary>
        MonthlyOnWeekday,
    }

    /// <summary>When a servicing schedule runs; make one with the static methods.</summary>
    public sealed class Recurrence
    {
        /// <summary>Creates the record; the library's JSON and the static methods fill it.</summary>
        [JsonConstructor]
        public Recurrence(RecurrenceKind kind, int? interval = null, IReadOnlyList<DayOfWeek>? days = null, int? day = null, int? week = null, DayOfWeek? weekday = null, int? offsetDays = null)
        {
            Kind = kind;
            Interval = interval;
            Days = days;
            Day = day;
            Week = week;
            Weekday = weekday;
            OffsetDays = offsetDays;
        }

        /// <summary>The kind.</summary>
        public RecurrenceKind Kind { get; }

        /// <summary>Hours or days between runs (Hours, Days).</summary>
        public int? Interval { get; }

        /// <summary>The days of the week (Weekly).</summary>
        public IReadOnlyList<DayOfWeek>? Days { get; }

        /// <summary>The day of the month, 1 to 31 (MonthlyOnDay).</summary>
        public int? Day { get; }

        /// <summary>The week of the month, 1 to 4, or 5 for the last (MonthlyOnWeekday).</summary>
        public int? Week { get; }

        /// <summary>The weekday (MonthlyOnWeekday).</summary>
        public DayOfWeek? Weekday { get; }

        /// <summary>Days after the weekday, 0 to 27 (MonthlyOnWeekday).</summary>
        public int? OffsetDays { get; }

        /// <summary>Once, at the schedule's start.</summary>
        /// <returns>The recurrence.</returns>
        public static Recurrence Once() => new Recurrence(RecurrenceKind.Once);

        /// <summary>Every <paramref name="hours"/> hours from the start.</summary>
        /// <param name="hours">1 to 8760.</param>
        /// <returns>The recurrence.</returns>
        public static Recurrence EveryHours(int hours) => new Recurrence(RecurrenceKind.Hours, interval: hours);

        /// <summary>Every <paramref name="days"/> days at the start's time of day.</summary>
        /// <param name="days">1 to 365.</param>
        /// <returns>The recurrence.</returns>
        public static Recurrence EveryDays(int days) => new Recurrence(RecurrenceKind.Days, interval: days);

        /// <summary>Every week on these days at the start's time of day.</summary>
        /// <param name="days">One or more days.</param>
        /// <returns>The recurrence.</returns>
        public static Recurrence Weekly(params DayOfWeek[] days) => new Recurrence(RecurrenceKind.Weekly, days: days);

        /// <summary>Every month on this day; a month without it runs on its last day.</summary>
        /// <param name="day">1 to 31.</param>
        /// <returns>The recurrence.</returns>
        public static Recurrence MonthlyOnDay(int day) => new Recurrence(RecurrenceKind.MonthlyOnDay, day: day);

        /// <summary>Every month on the Nth weekday plus <paramref name="offsetDays"/>: (2, Tuesday, 7) follows Patch Tuesday by a week.</summary>
        /// <param name="week">1 to 4, or 5 for the last.</param>
        /// <param name="weekday">The weekday.</param>
        /// <param name="offsetDays">0 to 27 days after it.</param>
        /// <returns>The recurrence.</returns>
        public static Recurrence MonthlyOnWeekday(int week, DayOfWeek weekday, int offsetDays = 0) =>
            new Recurrence(RecurrenceKind.MonthlyOnWeekday, week: week, weekday: weekday, offsetDays: offsetDays);

        /// <inheritdoc/>
        public override string ToString()
        {
            switch (Kind)
            {
                case RecurrenceKind.Hours: return $"every {Interval} hours";
                case RecurrenceKind.Days: return $"every {Interval} days";
                case RecurrenceKind.Weekly: return "weekly on " + string.Join(", ", Days ?? Array.Empty<DayOfWeek>());
                case RecurrenceKind.MonthlyOnDay: return $"monthly on day {Day}";
                case RecurrenceKind.MonthlyOnWeekday:
                    var week = Week == 5 ? "last" : $"week {Week}";
                    return OffsetDays > 0 ? $"monthly, {week} {Weekday} + {OffsetDays} days" : $"monthly, {week} {Weekday}";
                default: return "once";
            }
        }

        internal void Write(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            writer.WriteString("kind", Kind.ToString());
            if (Interval.HasValue) writer.WriteNumber("interval", Interval.Value);
            if (Days != null)
            {
                writer.WriteStartArray("days");
                foreach (var day in Days) writer.WriteStringValue(day.ToString());
                writer.WriteEndArray();
            }

            if (Day.HasValue) writer.WriteNumber("day", Day.Value);
            if (Week.HasValue) writer.WriteNumber("week", Week.Value);
            if (Weekday.HasValue) writer.WriteString("weekday", Weekday.Value.ToString());
            if (OffsetDays.HasValue) writer.WriteNumber("offsetDays", OffsetDays.Value);
            writer.WriteEndObject();
        }
    }

    /// <summary>
    /// A servicing schedule's settings. On create, a setting left null takes its default; on set, it
    /// stays as it is.
    /// </summary>
    public sealed class ScheduleSettings
    {
        /// <summary>The catalog updates to apply (e.g. KB5034441-x64); each must apply to the package. Required on create.</summary>
        public IReadOnlyList<string>? UpdateIds { get; set; }

        /// <summary>When it runs (default: once).</summary>
        public Recurrence? Recurrence { get; set; }

        /// <summary>The first run, a wall-clock time in UTC or the runner's local time (default: now); its Kind is ignored.</summary>
        public DateTime? Start { get; set; }

        /// <summary>Start and recurrence are in UTC rather than the runner's local time (default: false).</summary>
        public bool? Utc { get; set; }

        /// <summary>A failed update is recorded and the others still go in (default: true).</summary>
        public bool? ContinueOnError { get; set; }

        /// <summary>Update every distribution point that holds the package after a run (default: true).</summary>
        public bool? UpdateDistributionPoints { get; set; }

        /// <summary>Remove superseded components after the updates (DISM's /StartComponentCleanup /ResetBase; default: false).</summary>
        public bool? RemoveSuperseded { get; set; }

        /// <summary>Service the WinRE image inside each install.wim index too, with the servicing stack and Safe OS updates (default: false).</summary>
        public bool? ServiceWinRe { get; set; }

        /// <summary>Service sources/boot.wim too, with the servicing stack and cumulative updates (default: false).</summary>
        public bool? ServiceBootImage { get; set; }

        /// <summary>Whether the runner runs it (default: true).</summary>
        public bool? Enabled { get; set; }

        internal byte[] ToJson()
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                if (UpdateIds != null)
                {
                    writer.WriteStartArray("updateIds");
                    foreach (var id in UpdateIds) writer.WriteStringValue(id);
                    writer.WriteEndArray();
                }

                if (Recurrence != null)
                {
                    writer.WritePropertyName("recurrence");
                    Recurrence.Write(writer);
                }

                if (Start.HasValue) writer.WriteString("start", Start.Value.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
                var flags = new (string Name, bool? Value)[]
                {
                    ("utc", Utc), ("continueOnError", ContinueOnError), ("updateDistributionPoints", UpdateDistributionPoints),
                    ("removeSuperseded", RemoveSuperseded), ("serviceWinRe", ServiceWinRe), ("serviceBootImage", ServiceBootImage),
                    ("enabled", Enabled),
                };
                foreach (var flag in flags.Where(f => f.Value.HasValue))
                {
                    writer.WriteBoolean(flag.Name, flag.Value!.Value);
                }

                writer.WriteEndObject();
            }

            var json = Encoding.UTF8.GetString(buffer.ToArray());
            return Utf8.ToNative(json)!;
        }
    }

    /// <summary>A servicing schedule of a package: which updates go in, when, and how a run behaves.</summary>
    public sealed class Schedule
    {
        /// <summary>Creates the record; the library's JSON fills it.</summary>
        [JsonConstructor]
        public Schedule(
            long id, string packageId, IReadOnlyList<string> updateIds, Recurrence recurrence, DateTime start, bool utc,
            bool continueOnError, bool updateDistributionPoints, bool removeSuperseded, bool serviceWinRe, bool serviceBootImage, bool enabled,
            DateTimeOffset? nextRunAt, DateTimeOffset createdAt, DateTimeOffset modifiedAt, string sitePath)
        {
            Id = id;
            PackageId = packageId;
            UpdateIds = updateIds;
            Recurrence = recurrence;
            Start = start;
            Utc = utc;
            ContinueOnError = continueOnError;
            UpdateDistributionPoints = updateDistributionPoints;
            RemoveSuperseded = removeSuperseded;
            ServiceWinRe = serviceWinRe;
            ServiceBootImage = serviceBootImage;
            Enabled = enabled;
            NextRunAt = nextRunAt;
            CreatedAt = createdAt;
            ModifiedAt = modifiedAt;
            SitePath = sitePath;
        }

        /// <summary>The schedule's ID.</summary>
        public long Id { get; }

        /// <summary>The package it services.</summary>
        public string PackageId { get; }

        /// <summary>The catalog updates it applies.</summary>
        public IReadOnlyList<string> UpdateIds { get; }

        /// <summary>When it runs.</summary>
        public Recurrence Recurrence { get; }

        /// <summary>The first run, a wall-clock time in UTC (when <see cref="Utc"/>) or the runner's local time.</summary>
        public DateTime Start { get; }

        /// <summary>Whether start and recurrence are in UTC.</summary>
        public bool Utc { get; }

        /// <summary>Whether a failed update lets the others go in.</summary>
        public bool ContinueOnError { get; }

        /// <summary>Whether a run updates the distribution points that hold the package.</summary>
        public bool UpdateDistributionPoints { get; }

        /// <summary>Whether a run removes superseded components.</summary>
        public bool RemoveSuperseded { get; }

        /// <summary>Whether a run services the WinRE image inside each install.wim index too.</summary>
        public bool ServiceWinRe { get; }

        /// <summary>Whether a run services sources/boot.wim too.</summary>
        public bool ServiceBootImage { get; }

        /// <summary>Whether the runner runs it.</summary>
        public bool Enabled { get; }

        /// <summary>When it runs next (UTC); null once it has no more runs.</summary>
        public DateTimeOffset? NextRunAt { get; }

        /// <summary>When it was made (UTC).</summary>
        public DateTimeOffset CreatedAt { get; }

        /// <summary>When it last changed (UTC).</summary>
        public DateTimeOffset ModifiedAt { get; }

        /// <summary>The database path of the site the record came from.</summary>
        public string SitePath { get; }

        /// <inheritdoc/>
        public override string ToString() => $"{Id}: {PackageId}, {Recurrence}";
    }

    /// <summary>A run a schedule will make, as <see cref="Site.GetScheduleNextRuns"/> lists them.</summary>
    public sealed class ScheduleNextRun
    {
        /// <summary>Creates the record; the library's JSON fills it.</summary>
        /// <param name="scheduleId">The schedule ID.</param>
        /// <param name="packageId">The package the schedule services.</param>
        /// <param name="runAt">When the run is due (UTC).</param>
        /// <param name="sitePath">The database path of the site the record came from.</param>
        [JsonConstructor]
        public ScheduleNextRun(long scheduleId, string packageId, DateTimeOffset runAt, string sitePath)
        {
            ScheduleId = scheduleId;
            PackageId = packageId;
            RunAt = runAt;
            SitePath = sitePath;
        }

        /// <summary>The schedule ID.</summary>
        public long ScheduleId { get; }

        /// <summary>The package the schedule services.</summary>
        public string PackageId { get; }

        /// <summary>When the run is due (UTC).</summary>
        public DateTimeOffset RunAt { get; }

        /// <summary>The database path of the site the record came from.</summary>
        public string SitePath { get; }

        /// <inheritdoc/>
        public override string ToString() => $"{ScheduleId}: {RunAt:u}";
    }
}
