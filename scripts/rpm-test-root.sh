# Sourced by scripts/test-rpm and scripts/test-systemd: the root the RPMs are installed into
# with dnf, of the host's own kind. On Debian a debootstrapped root (cached as a tarball, with
# munin-node and systemd, so that one cache serves the chroot of test-rpm and the container
# test-systemd boots) plus a generated package that tells dnf what the root has; on EL a root
# made by dnf --installroot from the host's repositories.
#
# Expects: root, work (holding r1/, r2/... with our RPMs, and repo/), cache, root_kind,
# releasever, started (= $SECONDS at the start), and the function check. /proc is left for the
# caller to mount. Defines note, processes_in_root and feed, which both tests use as they are.

note() { echo "---- $* ($((SECONDS - started)) s)"; }

# Every process whose root is the root made here (the daemon, whatever a scriptlet started,
# a container's processes should nspawn have died before its init).
processes_in_root() {
  local link
  for link in /proc/[0-9]*/root; do
    [ "$(readlink "$link" 2>/dev/null)" = "$root" ] && { link=${link#/proc/}; echo "${link%/root}"; }
  done
}

# feed N METHOD: appends N requests of /shop/METHOD/ stamped now to the root's Apache log, all in
# one second so that one round reports them all; then waits (the daemon's `interval`) for the
# root's report that holds exactly them.
feed() {
  local count=$1 method=$2 now i report=$root/var/lib/elfstatsd/apache.data
  now=$(date '+%d/%b/%Y:%H:%M:%S %z')
  for ((i = 0; i < count; i++)); do
    printf '192.0.2.%d - - [%s] "GET /shop/%s/%d HTTP/1.1" 200 512 "-" "curl/8.0" %d\n' \
      $((i % 250)) "$now" "$method" "$i" $((1000 + i * 10))
  done >>"$root/var/log/httpd/access_log"
  for ((i = 0; i < 4 * interval + 8; i++)); do
    grep -qx "calls = $count" <(sed -n "/^\\[method_shop_$method\\]/,/^\\[/p" "$report" 2>/dev/null) && return 0
    sleep 0.5
  done
  return 1
}

in_root() { chroot "$root" "$@"; }
dnf_root() {
  dnf -y --installroot="$root" --releasever="$releasever" --setopt=reposdir=/dev/null --setopt=cachedir="$work/dnf-cache" \
    --repofrompath=local,"file://$work/repo" --repo=local --setopt=local.gpgcheck=0 \
    --setopt=install_weak_deps=False --refresh "$@"
}

# ---------------------------------------------------------------------------------------------
# On EL the root is made by dnf itself, from the repositories the host already uses (EPEL for
# munin-node, enabled above if it was missing); its rpm database is real, so nothing stands in
# for what the root has.
make_el_root() {
  note "the EL $releasever root (dnf --installroot)"
  enable_epel || exit 1
  mkdir -p "$root"
  if ! dnf -y -q --installroot="$root" --releasever="$releasever" --setopt=install_weak_deps=False \
      --setopt=cachedir="$work/dnf-cache-el" install bash coreutils findutils grep sed gawk procps-ng \
      shadow-utils util-linux chkconfig initscripts munin-node systemd dbus >"$work/el-root.log" 2>&1; then
    tail -20 "$work/el-root.log" >&2; exit 1
  fi
}

# On Debian the root is debootstrapped, and a generated package tells dnf what it has.
make_debian_root() {
  note "the Debian root"
  # The mirror and release this machine already uses (apt sources), never a hard-coded one.
  suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  mirror=$(
    { grep -hE '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
        sed -E 's/\[[^]]*\]//' | awk -v s="$suite" '$3 == s { print $2 }'
      awk -v s="$suite" '
        /^URIs:/ { uris = $2 } /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == s) print uris }
        /^$/ { uris = "" }' /etc/apt/sources.list.d/*.sources 2>/dev/null
    } | head -1)
  # One cached root for test-rpm (a chroot) and test-systemd (booted by systemd-nspawn).
  tarball=$cache/$suite-minbase-munin-node-systemd.tar
  if [ ! -s "$tarball" ]; then
    [ -n "$suite" ] && [ -n "$mirror" ] || { echo "test-rpm: no Debian suite/mirror in /etc/os-release and apt sources" >&2; exit 1; }
    note "debootstrap $suite from $mirror (cached in $tarball)"
    mkdir -p "$cache" "$work/bootstrap"
    # perl-openssl-defaults: debootstrap does not resolve the virtual package munin-node's
    # dependencies need (perl-openssl-abi-3).
    if ! debootstrap --variant=minbase --include=munin-node,perl-openssl-defaults,systemd,systemd-sysv,dbus,procps \
        "$suite" "$work/bootstrap" "$mirror" \
        >"$work/debootstrap.log" 2>&1; then
      tail -20 "$work/debootstrap.log" >&2; exit 1
    fi
    tar -C "$work/bootstrap" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
    rm -rf "$work/bootstrap"
  fi
  mkdir -p "$root"
  tar -C "$root" -xf "$tarball"

  note "host-provides: what the root really has, for dnf"
  # dnf resolves against rpm's database only, which knows nothing of dpkg's packages. This package
  # provides each requirement of ours that the root meets, checked one by one: files that exist,
  # libraries and symbol versions ldconfig and readelf find, dpkg packages installed. Anything
  # else fails the test here, as it would fail a yum install.
  provides=() unmet=()
  library_path() { in_root ldconfig -p | awk -v n="$1" '$1 == n && /x86-64/ { print $NF; exit }'; }
  has() {
    local need=$1 name version path
    case $need in
      /*) in_root test -e "$need" ;;
      rtld\(GNU_HASH\)) path=$(library_path ld-linux-x86-64.so.2) && [ -n "$path" ] &&
                         [ "$(readelf -S "$root$(in_root readlink -f "$path")" | grep -c '\.gnu\.hash')" -gt 0 ] ;;
      *.so*\(*\)\(64bit\))
        name=${need%%(*}; version=${need#*(}; version=${version%%)*}
        path=$(library_path "$name"); [ -n "$path" ] || return 1
        [ -z "$version" ] && return 0
        # (into a variable first: grep -q would end the pipe early, which pipefail reports)
        definitions=$(readelf -V "$root$(in_root readlink -f "$path")" |
          sed -n '/Version definition section/,/Version needs section/p')
        grep -q "Name: $version\$" <<<"$definitions" ;;
      *) [ "$(in_root dpkg-query -W -f='${Status}' "$need" 2>/dev/null)" = "install ok installed" ] ;;
    esac
  }
  ours=$(rpm -qp --provides "$work"/r[0-9]/*.rpm | awk '{ print $1 }' | sort -u)
  while IFS= read -r requirement; do
    need=${requirement%% *}
    case $requirement in
      rpmlib\(*) continue ;;
      \(*\ or\ *\))
        alternatives=${requirement#(}; alternatives=${alternatives%)}
        found=
        for alternative in ${alternatives// or / }; do
          if has "$alternative"; then found=$alternative; break; fi
        done
        if [ -n "$found" ]; then provides+=("$found"); else unmet+=("$requirement"); fi
        continue ;;
    esac
    grep -qxF "$need" <<<"$ours" && continue
    if has "$need"; then provides+=("$need"); else unmet+=("$requirement"); fi
  done < <(rpm -qp --requires "$work"/r[0-9]/*.rpm | sort -u)
  check "the root meets every requirement of the packages (unmet: ${unmet[*]:-none})" [ ${#unmet[@]} -eq 0 ]
  {
    echo "Name: host-provides"
    echo "Version: 1"
    echo "Release: 1"
    echo "Summary: What the Debian test root has, for dnf"
    echo "License: MIT"
    echo "BuildArch: noarch"
    for provide in "${provides[@]}"; do echo "Provides: $provide"; done
    printf '%%description\nGenerated by scripts/rpm-test-root.sh.\n%%files\n'
  } >"$work/host-provides.spec"
  rpmbuild -bb --quiet --define "_topdir $work/host-provides" "$work/host-provides.spec" >/dev/null 2>&1 &&
    rpm --root "$root" -i --force-debian "$work"/host-provides/RPMS/noarch/*.rpm
  check "host-provides package installed (${#provides[@]} provides)" rpm --root "$root" -q --quiet host-provides
}

