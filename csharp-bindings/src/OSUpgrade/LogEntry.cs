namespace OSUpgrade
{
    /// <summary>The severity of a log record, as CMTrace numbers it.</summary>
    public enum OSUpgradeLogSeverity
    {
        /// <summary>What an operation did.</summary>
        Information = 1,

        /// <summary>Something went partly wrong (a point not updated, an update that failed in a run that went on).</summary>
        Warning = 2,

        /// <summary>An operation failed.</summary>
        Error = 3,
    }

    /// <summary>
    /// A record of the site's operational log, as <see cref="Site.SetLogCallback"/> hands it over: the same
    /// records go to the site's Logs folder in CMTrace format.
    /// </summary>
    public sealed class OSUpgradeLogEntry
    {
        internal OSUpgradeLogEntry(OSUpgradeLogSeverity severity, string component, string message)
        {
            Severity = severity;
            Component = component;
            Message = message;
        }

        /// <summary>The severity.</summary>
        public OSUpgradeLogSeverity Severity { get; }

        /// <summary>package, distribution, updates or servicing.</summary>
        public string Component { get; }

        /// <summary>What happened.</summary>
        public string Message { get; }

        /// <inheritdoc/>
        public override string ToString() => $"{Component}: {Message}";
    }
}
