using System;
using System.Threading.Tasks;

namespace OSUpgrade.Tests
{
    /// <summary>
    /// The test program's entry point (in place of xunit's generated one): it runs the tests, or,
    /// started by a test, stands in for another process: one that holds a point's lock
    /// (<see cref="OtherProcessLock.Argument"/>), or one that opens a site with the library that
    /// <see cref="NativeLibraryResolver.OverrideVariable"/> names and prints what it got.
    /// </summary>
    public static class Program
    {
        public const string OpenSiteArgument = "--open-site";

        public static Task<int> Main(string[] args)
        {
            if (args.Length == 2 && args[0] == OtherProcessLock.Argument)
            {
                return Task.FromResult(OtherProcessLock.Hold(args[1]));
            }

            return args.Length == 2 && args[0] == OpenSiteArgument
                ? Task.FromResult(OpenSite(args[1]))
                : Xunit.Runner.InProc.SystemConsole.ConsoleRunner.Run(args);
        }

        private static int OpenSite(string path)
        {
            try
            {
                Site.Create(path).Dispose();
                Console.WriteLine("opened");
            }
            catch (Exception e)
            {
                // Printed here: under wine an unhandled exception ends the process without a word.
                Console.WriteLine($"{e.GetType().FullName}: {e.Message}");
            }

            return 0;
        }
    }
}
