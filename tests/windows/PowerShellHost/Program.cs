using System;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

// Runs a script (the first argument, with the rest as its arguments), or pwsh's
// `-NoProfile -Command TEXT`, and prints each record of every stream as it comes. Not pwsh's
// console host: under wine, with output redirected, that host finds no console buffer and stops.
// No profile is ever loaded.
args = args.SkipWhile(a => a.Equals("-NoProfile", StringComparison.OrdinalIgnoreCase)).ToArray();
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: PowerShellHost SCRIPT [ARGUMENT ...] | -Command TEXT");
    return 2;
}

// The SDK publishes PowerShell's own modules (Microsoft.PowerShell.Utility, …) there, not under
// $PSHOME\Modules where pwsh keeps them.
var builtIn = System.IO.Path.Combine(AppContext.BaseDirectory, "runtimes", "win", "lib", "net10.0", "Modules");
Environment.SetEnvironmentVariable("PSModulePath", builtIn + ";" + Environment.GetEnvironmentVariable("PSModulePath"));

var state = InitialSessionState.CreateDefault2();
state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
using var shell = PowerShell.Create(state);
var output = new PSDataCollection<PSObject>();
output.DataAdded += (_, e) => Console.WriteLine(output[e.Index]?.ToString());
shell.Streams.Information.DataAdded += (_, e) => Console.WriteLine(shell.Streams.Information[e.Index].MessageData);
shell.Streams.Warning.DataAdded += (_, e) => Console.WriteLine("WARNING: " + shell.Streams.Warning[e.Index].Message);
shell.Streams.Error.DataAdded += (_, e) => Console.Error.WriteLine(shell.Streams.Error[e.Index].ToString());
if (args[0].Equals("-Command", StringComparison.OrdinalIgnoreCase) && args.Length == 2)
{
    shell.AddScript(args[1]);
}
else
{
    AddScriptWithArguments(shell, args);
}

try
{
    shell.Invoke(null, output);
}
catch (RuntimeException e) when (e.ErrorRecord.Exception is ExitException exit)
{
    return exit.Argument is int code ? code : 1;
}
catch (Exception e)
{
    Console.Error.WriteLine(e);
    return 1;
}

var exitCode = shell.Runspace.SessionStateProxy.GetVariable("LASTEXITCODE");
return exitCode is int last ? last : shell.HadErrors ? 1 : 0;

// -Name VALUE binds a parameter; a -Name followed by nothing or by another -Name, a switch.
static void AddScriptWithArguments(PowerShell shell, string[] args)
{
    shell.AddCommand(args[0]);
    for (var i = 1; i < args.Length; i++)
    {
        if (!args[i].StartsWith('-') || args[i].Length == 1)
        {
            shell.AddArgument(args[i]);
        }
        else if (i + 1 < args.Length && !args[i + 1].StartsWith('-'))
        {
            shell.AddParameter(args[i].Substring(1), args[++i]);
        }
        else
        {
            shell.AddParameter(args[i].Substring(1));
        }
    }
}
