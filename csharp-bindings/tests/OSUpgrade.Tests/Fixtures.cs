using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;

namespace OSUpgrade.Tests
{
    /// <summary>A scratch folder, deleted when disposed.</summary>
    public sealed class Scratch : IDisposable
    {
        public Scratch()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "osupgrade-cs-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string this[string name] => System.IO.Path.Combine(Path, name);

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Setup sources made once per test class by tests/fixtures/make-source.sh.</summary>
    public sealed class SourceFixture : IDisposable
    {
        private readonly Scratch scratch = new Scratch();

        public SourceFixture()
        {
            Good = MakeSource("good", "--small-files", "120");
            Other = MakeSource("other", "--small-files", "120");
        }

        /// <summary>A source with setup.exe and a two-index install.wim (build 19045, x64).</summary>
        public string Good { get; }

        /// <summary>Another source, different content.</summary>
        public string Other { get; }

        public static string RepositoryRoot =>
            typeof(SourceFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "RepositoryRoot").Value!;

        /// <summary>
        /// Names a folder of sources made beforehand, one per set of options
        /// (<c>small-files-120</c>), for runs where bash cannot be started (Windows, wine).
        /// </summary>
        public const string TemplatesVariable = "OSUPGRADE_TEST_SOURCE_TEMPLATES";

        /// <summary>Makes a small source that a test may then break.</summary>
        public string MakeSource(string name, params string[] options)
        {
            var destination = scratch[name];
            options = options.Length == 0 ? new[] { "--small-files", "5" } : options;
            var templates = Environment.GetEnvironmentVariable(TemplatesVariable);
            if (!string.IsNullOrEmpty(templates))
            {
                CopyTree(System.IO.Path.Combine(templates, string.Join("-", options.Select(o => o.TrimStart('-')))), destination);
                return destination;
            }

            var script = System.IO.Path.Combine(RepositoryRoot, "tests", "fixtures", "make-source.sh");
            var start = new ProcessStartInfo("bash") { UseShellExecute = false };
            start.ArgumentList.Add(script);
            start.ArgumentList.Add(destination);
            foreach (var option in options)
            {
                start.ArgumentList.Add(option);
            }

            using var process = Process.Start(start)!;
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"make-source.sh failed for {destination}");
            }

            return destination;
        }

        public void Dispose() => scratch.Dispose();

        private static void CopyTree(string from, string to)
        {
            if (!Directory.Exists(from))
            {
                throw new DirectoryNotFoundException($"no source template at {from} (see {TemplatesVariable})");
            }

            foreach (var folder in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            {
                Directory.CreateDirectory(folder.Replace(from, to));
            }

            Directory.CreateDirectory(to);
            foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            {
                File.Copy(file, file.Replace(from, to));
            }
        }
    }

    /// <summary>Records every report with the thread it came on.</summary>
    public sealed class RecordingProgress : IProgress<OSUpgradeProgress>
    {
        private readonly SynchronousProgress<OSUpgradeProgress> inner;

        public RecordingProgress(Action<OSUpgradeProgress>? onReport = null)
        {
            inner = new SynchronousProgress<OSUpgradeProgress>(report =>
            {
                Reports.Add((report, Environment.CurrentManagedThreadId));
                onReport?.Invoke(report);
            });
        }

        public System.Collections.Generic.List<(OSUpgradeProgress Report, int ThreadId)> Reports { get; } = new();

        public void Report(OSUpgradeProgress value) => inner.Report(value);
    }
}
