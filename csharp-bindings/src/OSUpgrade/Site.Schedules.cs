using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace OSUpgrade
{
    public sealed partial class Site
    {
        /// <summary>Creates a servicing schedule for a package. Every update must apply to it.</summary>
        /// <param name="packageId">The package ID.</param>
        /// <param name="settings">The schedule's settings; UpdateIds is required.</param>
        /// <returns>The schedule, with its next run.</returns>
        /// <exception cref="OSUpgradeInvalidArgumentException">An update does not apply (the message says why), or a setting is out of range.</exception>
        public Schedule CreateSchedule(string packageId, ScheduleSettings settings)
        {
            RequireArgument(packageId, nameof(packageId));
            RequireArgument(settings, nameof(settings));
            return Proxy.osu_schedule_create(Handle, packageId, settings);
        }

        /// <summary>Gets a schedule by ID.</summary>
        /// <param name="id">The schedule ID.</param>
        /// <returns>The schedule.</returns>
        /// <exception cref="OSUpgradeNotFoundException">There is no such schedule.</exception>
        public Schedule GetSchedule(long id)
        {
            return Proxy.osu_schedule_get(Handle, id);
        }

        /// <summary>Lists the schedules of a package, or of every package.</summary>
        /// <param name="packageId">A package ID, or null for all.</param>
        /// <returns>The schedules, by ID.</returns>
        public IReadOnlyList<Schedule> GetSchedules(string? packageId = null)
        {
            return Proxy.osu_schedule_list(Handle, packageId);
        }

        /// <summary>Changes a schedule; a setting left null stays as it is. Its next run is computed anew.</summary>
        /// <param name="id">The schedule ID.</param>
        /// <param name="settings">What to change.</param>
        /// <returns>The schedule.</returns>
        public Schedule SetSchedule(long id, ScheduleSettings settings)
        {
            RequireArgument(settings, nameof(settings));
            return Proxy.osu_schedule_set(Handle, id, settings);
        }

        /// <summary>
        /// The schedule's next runs, the first being the one it is due for: to check before it runs that "second
        /// Tuesday + 7 days" lands where it should. Fewer when the schedule ends (a once schedule has one).
        /// </summary>
        /// <param name="id">The schedule ID.</param>
        /// <param name="count">How many runs, 1 to 1000.</param>
        /// <returns>The runs, in time order.</returns>
        /// <exception cref="OSUpgradeNotFoundException">There is no such schedule.</exception>
        /// <exception cref="OSUpgradeInvalidArgumentException">The count is out of range.</exception>
        public IReadOnlyList<ScheduleNextRun> GetScheduleNextRuns(long id, int count)
        {
            return Proxy.osu_schedule_next_runs(Handle, id, count);
        }

        /// <summary>Removes a schedule; its run history stays with the package.</summary>
        /// <param name="id">The schedule ID.</param>
        public void RemoveSchedule(long id)
        {
            Proxy.osu_schedule_remove(Handle, id);
        }

        /// <summary>
        /// Runs a schedule now: services the package's image with the schedule's updates through the site's
        /// engine, records the result as the next content version, then updates the distribution points where
        /// the schedule says so. A run that fails is recorded and returned (see <see cref="ServicingRun.State"/>).
        /// </summary>
        /// <param name="id">The schedule ID.</param>
        /// <param name="progress">Receives progress on the calling thread.</param>
        /// <param name="cancellationToken">Cancels the run, which then changes nothing.</param>
        /// <returns>The run.</returns>
        /// <exception cref="OSUpgradeInvalidArgumentException">No servicing engine is available here; nothing was touched.</exception>
        /// <exception cref="OSUpgradeBusyException">Another runner services the package.</exception>
        public ServicingRun RunSchedule(long id, IProgress<OSUpgradeProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            return Proxy.osu_schedule_run(Handle, id, new Reporting(progress, cancellationToken));
        }

        /// <summary>Runs every enabled schedule that is due (what the OS scheduler calls every few minutes).</summary>
        /// <param name="progress">Receives progress on the calling thread.</param>
        /// <param name="cancellationToken">Cancels the run under way.</param>
        /// <returns>The runs made; empty when none was due.</returns>
        public IReadOnlyList<ServicingRun> RunDueSchedules(IProgress<OSUpgradeProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            return Proxy.osu_schedule_run_due(Handle, new Reporting(progress, cancellationToken));
        }

        /// <summary>The servicing runs of a schedule and/or a package, newest first.</summary>
        /// <param name="scheduleId">A schedule ID, or null for all.</param>
        /// <param name="packageId">A package ID, or null for all.</param>
        /// <returns>The runs, each with its results.</returns>
        public IReadOnlyList<ServicingRun> GetServicingRuns(long? scheduleId = null, string? packageId = null)
        {
            return Proxy.osu_servicing_run_list(Handle, scheduleId, packageId);
        }

        /// <summary>Sets the engine the site services with: DISM, or an admin's program (see the README's "The command engine").</summary>
        /// <param name="engine">The engine.</param>
        /// <param name="commandPath">The command engine's program, an absolute path; null or empty for DISM.</param>
        public void SetServicingEngine(ServicingEngineKind engine, string? commandPath = null)
        {
            var name = engine == ServicingEngineKind.Dism ? "dism" : "command";
            var program = string.IsNullOrEmpty(commandPath) ? null : commandPath;
            Proxy.osu_servicing_engine_set(Handle, name, program);
        }

        /// <summary>
        /// Sets how long one step of the servicing engine may run (whole seconds, from one second to a week; two hours
        /// unless set). A step still running then is ended with every process it started, and its updates fail, timed out.
        /// </summary>
        /// <param name="maxRunTime">The maximum run time of one step.</param>
        public void SetServicingMaxRunTime(TimeSpan maxRunTime)
        {
            var seconds = maxRunTime.Ticks % TimeSpan.TicksPerSecond == 0 && maxRunTime.TotalSeconds is > 0 and <= uint.MaxValue
                ? (uint)maxRunTime.TotalSeconds
                : 0; // the library refuses it, naming the bounds
            Proxy.osu_servicing_max_run_time_set(Handle, seconds);
        }

        /// <summary>The engine the site services with, and whether this machine has it.</summary>
        /// <returns>The engine.</returns>
        public ServicingEngine GetServicingEngine()
        {
            return Proxy.osu_servicing_engine_get(Handle);
        }

        /// <summary><see cref="RunSchedule"/> on a thread-pool thread.</summary>
        /// <param name="id">The schedule ID.</param>
        /// <param name="progress">Receives progress.</param>
        /// <param name="cancellationToken">Cancels the run, which then changes nothing.</param>
        /// <returns>The run.</returns>
        public Task<ServicingRun> RunScheduleAsync(long id, IProgress<OSUpgradeProgress>? progress = null, CancellationToken cancellationToken = default) =>
            Task.Run(() => RunSchedule(id, progress, cancellationToken), cancellationToken);

        /// <summary><see cref="RunDueSchedules"/> on a thread-pool thread.</summary>
        /// <param name="progress">Receives progress.</param>
        /// <param name="cancellationToken">Cancels the run under way.</param>
        /// <returns>The runs made.</returns>
        public Task<IReadOnlyList<ServicingRun>> RunDueSchedulesAsync(IProgress<OSUpgradeProgress>? progress = null, CancellationToken cancellationToken = default) =>
            Task.Run(() => RunDueSchedules(progress, cancellationToken), cancellationToken);
    }
}
