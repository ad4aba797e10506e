#!/usr/bin/env bash
# The installed program's documentation: `cmake --install` puts the manual
# page and CLI.md where `man` and `vectorpin help` find them, the page
# renders without groff warnings, and the help text names the installed file.
set -euo pipefail
build_dir=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"
cmake --install "$build_dir" --prefix "$prefix" >/dev/null
page="$prefix/share/man/man1/vectorpin.1"
test -f "$page" || { echo "no manual page at $page"; exit 1; }
test -f "$prefix/share/doc/vectorpin/CLI.md" || { echo "CLI.md not installed"; exit 1; }
test -f "$prefix/share/doc/vectorpin/AUDIT.md" || { echo "AUDIT.md not installed"; exit 1; }
cmp -s "$prefix/share/doc/vectorpin/LICENSE" "$(dirname "$0")/../../LICENSE" || { echo "LICENSE not installed"; exit 1; }
test -f "$prefix/share/doc/vectorpin/NOTICE" || { echo "NOTICE not installed"; exit 1; }
if command -v groff >/dev/null; then
  warnings=$(groff -man -ww -z "$page" 2>&1)
  [ -z "$warnings" ] || { echo "groff warnings: $warnings"; exit 1; }
fi
if command -v man >/dev/null; then
  MANPATH="$prefix/share/man" MANWIDTH=80 man vectorpin 2>/dev/null | grep -q -- '--source-newlines' \
    || { echo "man vectorpin does not show the installed page"; exit 1; }
fi
libdir=$(find "$prefix" -name 'libvectorpin.so' -printf '%h\n' | head -n1)
# The library directory is given explicitly so this test does not depend on
# how the installed program finds its library.
help=$(LD_LIBRARY_PATH="$libdir" "$prefix/bin/vectorpin" help pin)
resolved=$(cd "$prefix/share/doc/vectorpin" && pwd -P)/CLI.md
case "$help" in
  *"$prefix/bin/../share/doc/vectorpin/CLI.md"*|*"$resolved"*) ;;
  *) echo "help does not point at the installed CLI.md:"; echo "$help" | tail -n 2; exit 1 ;;
esac
# Other messages that name a page name the installed one too.
chroma=$(LD_LIBRARY_PATH="$libdir" "$prefix/bin/vectorpin" audit-chroma 2>&1 || true)
case "$chroma" in
  *"$prefix/bin/../share/doc/vectorpin/AUDIT.md"*) ;;
  *) echo "audit-chroma does not point at the installed AUDIT.md:"; echo "$chroma" | tail -n 3; exit 1 ;;
esac
echo "installed documentation: 2 passed, 0 failed"
