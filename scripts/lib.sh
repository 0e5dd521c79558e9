# Shared by the scripts in this folder: installing what they need on Debian or EL, and the
# tally of a test part.

# The tally every test part keeps; its last line, "N passed, N failed", is what scripts/test
# reads. Callers set passed=0 failed=0. check DESCRIPTION COMMAND...: passes when the command
# succeeds, else fails and returns 1 (so `check ... || finish` stops where the rest is moot);
# finish prints the tally and exits, non-zero when anything failed.
pass() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; return 1; fi; }
finish() { echo "$passed passed, $failed failed"; [ "$failed" = 0 ]; exit; }

# install_packages DEBIAN_NAMES... -- EL_NAMES...: installs the packages whose names are given for
# this system's package manager when the commands or libraries they provide are missing.
# Callers check first; this only installs.
install_packages() {
  local debian=() el=() side=debian
  for name in "$@"; do
    if [ "$name" = "--" ]; then side=el; continue; fi
    if [ $side = debian ]; then debian+=("$name"); else el+=("$name"); fi
  done
  if command -v apt-get >/dev/null 2>&1; then
    [ ${#debian[@]} -gt 0 ] || return 0
    echo "installing ${debian[*]} (apt-get)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${debian[@]}" >/dev/null
  elif command -v dnf >/dev/null 2>&1 || command -v yum >/dev/null 2>&1; then
    [ ${#el[@]} -gt 0 ] || return 0
    local manager; manager=$(command -v dnf || command -v yum)
    echo "installing ${el[*]} ($manager)" >&2
    "$manager" install -y -q "${el[@]}" && return 0
    enable_epel && "$manager" install -y -q "${el[@]}"
  else
    echo "cannot install ${debian[*]}: neither apt-get nor dnf/yum found" >&2
    return 1
  fi
}

# enable_epel: on EL, EPEL (Munin, rpmlint) and CRB or PowerTools (some of their dependencies).
enable_epel() {
  rpm -q --quiet epel-release 2>/dev/null && return 0
  local manager; manager=$(command -v dnf || command -v yum)
  echo "enabling EPEL and CRB/PowerTools ($manager)" >&2
  "$manager" install -y -q epel-release dnf-plugins-core || return 1
  "$manager" config-manager --set-enabled crb >/dev/null 2>&1 ||
    "$manager" config-manager --set-enabled powertools >/dev/null 2>&1 || true
}

# ensure_build_tools: PCRE2's headers and pkg-config, which the Swift build needs.
ensure_build_tools() {
  if ! pkg-config --exists libpcre2-8 2>/dev/null; then
    install_packages libpcre2-dev pkg-config -- pcre2-devel pkgconf-pkg-config
  fi
  command -v swift >/dev/null 2>&1 || [ -x /opt/swift/usr/bin/swift ] || {
    echo "Swift is not installed: install a Swift 6 toolchain (https://www.swift.org/install/) and put it on PATH" >&2
    return 1
  }
  command -v swift >/dev/null 2>&1 || export PATH=/opt/swift/usr/bin:$PATH
}
