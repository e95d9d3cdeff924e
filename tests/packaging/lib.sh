# Helpers shared by the packaging tests: what the binaries themselves say they have.

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Visible subcommands of PROGRAM [SUBCOMMAND...], from its --help.
subcommands() {
  "$@" --help | awk '/^Subcommands:/ { f = 1; next } f && /^  [a-z]/ { print $1 }'
}

# Long flags of PROGRAM [SUBCOMMAND...], from the option lines of its --help.
long_flags() {
  "$@" --help | grep -E '^  +-' | grep -oE '(^|[ ,])--[a-z][a-z0-9-]*' | tr -d ' ,' | sort -u
}
