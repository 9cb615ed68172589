using System.Threading.Tasks;

namespace OSUpgrade.Tests
{
    /// <summary>
    /// The test program's entry point (in place of xunit's generated one): it runs the tests, or,
    /// started by a test with <see cref="OtherProcessLock.Argument"/>, stands in for another
    /// process that holds a point's lock.
    /// </summary>
    public static class Program
    {
        public static Task<int> Main(string[] args) =>
            args.Length == 2 && args[0] == OtherProcessLock.Argument
                ? Task.FromResult(OtherProcessLock.Hold(args[1]))
                : Xunit.Runner.InProc.SystemConsole.ConsoleRunner.Run(args);
    }
}
