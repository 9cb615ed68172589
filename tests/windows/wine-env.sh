# Sourced by the runs under wine: one prefix under target/ (made on first use, ~15 s, then
# reused), what every program run under wine needs in its environment, the helpers below, and in
# the prefix's system32 the test-only stand-in for bcryptprimitives.dll (bcryptprimitives.c),
# which wine 8.0 lacks and Rust's standard library imports, so that every program and library of
# the runs finds it.
export WINEPREFIX="$repo/target/wine-prefix" WINEDEBUG=-all

# Wine 8.0 runs .NET's W^X double mapping of code badly: once the GC frees a dynamic method
# (PowerShell compiles scripts into them, xunit's assertions and System.Text.Json emit them), the
# CLR dies ("Internal CLR error 0x80131506" in DynamicResolver.DestroyScout.Finalize). Without
# W^X it does not. Set for every run, .NET or not, so that none can be started without it.
export DOTNET_EnableWriteXorExecute=0

# The one way the runs name wine (so none runs it without the above). Debian's wine64 package
# leaves wine64 out of PATH.
wine_program() { command -v wine64 || echo /usr/lib/wine/wine64; }

# The Linux root is wine's drive Z:.
windows_path() { printf 'Z:%s' "${1//\//\\}"; }

if [ ! -f "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" ]; then
  "$(wine_program)" cmd /c exit 0 >/dev/null 2>&1 || true  # makes the prefix
  x86_64-w64-mingw32-gcc -shared -O2 "$repo/tests/windows/bcryptprimitives.c" -ladvapi32 \
    -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
fi
