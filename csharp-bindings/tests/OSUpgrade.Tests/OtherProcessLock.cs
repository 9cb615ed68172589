using System;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace OSUpgrade.Tests
{
    /// <summary>
    /// A lock file held by another process (this test program, started again) until disposed, the
    /// way the library's own lock is held: a flock on Unix, a byte-range lock on Windows. A lock
    /// taken in the test process right after the library let go could find the library's lock
    /// still held by a child that a test running in parallel forked (it shares the descriptor
    /// until it execs); the other process waits for it instead, and says when it holds the lock.
    /// </summary>
    public sealed class OtherProcessLock : IDisposable
    {
        public const string Argument = "--hold-lock";

        private const string Held = "held";

        private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

        private readonly Process process;
        private bool released;

        public OtherProcessLock(string path)
        {
            var start = ThisProgram.StartInfo();
            start.ArgumentList.Add(Argument);
            start.ArgumentList.Add(path);
            start.RedirectStandardInput = true;
            start.RedirectStandardOutput = true;
            process = Process.Start(start)!;
            // The other process waits up to Deadline for the lock once it has started, and starting
            // a .NET program takes a while on a busy machine or under wine.
            var said = process.StandardOutput.ReadLineAsync();
            if (!said.Wait(2 * Deadline) || said.Result != Held)
            {
                Stop();
                throw new TimeoutException($"the other process did not take the lock {path} within {Deadline}");
            }
        }

        /// <summary>
        /// Lets the lock go: the other process ends once its input is closed, or is ended. It
        /// never throws, so that it cannot hide the failure of the test it ends.
        /// </summary>
        public void Dispose()
        {
            if (released)
            {
                return;
            }

            released = true;
            process.StandardInput.Close();
            if (process.WaitForExit(Deadline))
            {
                process.Dispose();
                return;
            }

            Stop();
        }

        /// <summary>The other process's part: lock, say so, hold until the input ends.</summary>
        public static int Hold(string path)
        {
            using var file = OpenLocked(path);
            Console.WriteLine(Held);
            Console.In.ReadToEnd();
            return 0;
        }

        private static FileStream OpenLocked(string path)
        {
            var deadline = DateTime.UtcNow + Deadline;
            while (true)
            {
                try
                {
                    // On Unix .NET takes a flock for FileShare.None, as the library does; on
                    // Windows FileShare.None would make the library fail to open the file, not
                    // find it locked, so there the lock is a byte range over the whole file.
                    var share = OperatingSystem.IsWindows() ? FileShare.ReadWrite : FileShare.None;
                    var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, share);
                    try
                    {
                        if (OperatingSystem.IsWindows())
                        {
                            file.Lock(0, long.MaxValue);
                        }

                        return file;
                    }
                    catch (IOException)
                    {
                        file.Dispose();
                        throw;
                    }
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(20);
                }
            }
        }

        private void Stop()
        {
            released = true;
            process.Kill();
            process.WaitForExit();
            process.Dispose();
        }
    }
}
