using System;

namespace OSUpgrade
{
    /// <summary>
    /// Reports progress by calling a handler at once, on the thread that reports it. The library
    /// reports on the thread that made the call, so the handler runs there too, unlike
    /// <see cref="Progress{T}"/>, which posts to a synchronization context or the thread pool. PowerShell
    /// needs this: Write-Progress only works on the pipeline's own thread.
    /// </summary>
    /// <typeparam name="T">The report type, e.g. <see cref="OSUpgradeProgress"/>.</typeparam>
    public sealed class SynchronousProgress<T> : IProgress<T>
    {
        private readonly Action<T> handler;

        /// <summary>Creates a progress receiver that calls <paramref name="handler"/>.</summary>
        /// <param name="handler">Called with each report; an exception it throws cancels the operation and is rethrown by it.</param>
        public SynchronousProgress(Action<T> handler)
        {
            this.handler = handler ?? throw new ArgumentNullException(nameof(handler));
        }

        /// <inheritdoc/>
        public void Report(T value) => handler(value);
    }
}
