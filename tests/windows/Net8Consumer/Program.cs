using System;
using System.IO;
using OSUpgrade;

// usage: Net8Consumer SCRATCH_FOLDER SETUP_SOURCE — prints what it saw; exit code 0 when the
// library called both callbacks back and the package was added.
var logRecords = 0;
var progressReports = 0;
using var site = Site.Create(Path.Combine(args[0], "site"));
site.SetLogCallback(_ => logRecords++);
var package = site.AddPackage(args[1], "Windows 10", "22H2", progress: new SynchronousProgress<OSUpgradeProgress>(_ => progressReports++));
Console.WriteLine($".NET {Environment.Version}: added {package.Id}, {logRecords} log records, {progressReports} progress reports");
return logRecords > 0 && progressReports > 0 ? 0 : 1;
