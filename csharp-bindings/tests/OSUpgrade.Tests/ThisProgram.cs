using System;
using System.Diagnostics;
using System.IO;
using System.Reflection;

namespace OSUpgrade.Tests
{
    /// <summary>Starts the test program again, as another process for a test.</summary>
    public static class ThisProgram
    {
        public static ProcessStartInfo StartInfo()
        {
            var host = Environment.ProcessPath!;
            var start = new ProcessStartInfo(host) { UseShellExecute = false };
            // Under `dotnet test` the program may run as `dotnet OSUpgrade.Tests.dll`.
            if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            {
                start.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
            }

            return start;
        }
    }
}
