# Build a program from one of Debian 12's source packages with the
# project's patches applied: the shape shared by scripts/build-prlimit,
# build-strace, build-bash, build-dash and build-busybox.  Sourced after the
# caller sets $top (the project folder) and $me (its name, for messages).
#
# build_setup PACKAGE VERSION PATCHES WORK
#   Fetch the source (scripts/fetch-source) and read PATCHES/series (one
#   file name a line, "#" comments); PATCHES "none" builds Debian's source
#   as it is (the baseline a package's own test suite is compared with).  Sets $src (the unpacked source),
#   $work (WORK, where it is built), $patches, $list (the patch names), $log
#   ($work/build.log) and $key: a hash over the version, the series, each
#   patch, the calling script and this file, so that nothing is rebuilt
#   while none of them changes.
# build_current FILE...
#   True when $work was built with $key and holds every FILE.
# build_prepare [--touched]
#   A fresh copy of $src in $work (with --touched, of only the files the
#   series changes: for glibc's headers), the series applied in order with
#   "patch -p1 --fuzz=0" (stopping at the first that does not apply,
#   naming it); the working directory is then $work.
# run COMMAND...
#   Run COMMAND with its output in $log; on failure show the log's end and
#   stop.
# build_finish
#   Record $key: the next build_current sees this build.
# replace_if_changed NEW DEST
#   Move NEW over DEST unless DEST already holds exactly that (NEW is then
#   removed), so that what is made from DEST is not remade for nothing;
#   $replaced says which (yes or no).  Write NEW next to DEST (DEST.tmp):
#   DEST is never half written.
# copy_if_changed FILE DEST
#   The same for a copy of FILE.
# install_static FILE DEST
#   Check that FILE (in $work) is a static executable, then install it
#   stripped as DEST, unless DEST already holds exactly that.
# source_dir PACKAGE
#   Print the directory scripts/fetch-source unpacked PACKAGE into.
# compare_suites NAME PATCHED BASE RESULTS [RERUN]
#   PATCHED and BASE are directories where a test suite left, for each
#   test T, T.rc (its exit status) and T.out (what it printed), run on the
#   patched build and on the unpatched one.  A test passes when it passes
#   on the patched build, or when it fails there exactly as it fails on the
#   unpatched one (paths of the two builds and numbers aside): the patch
#   changed nothing in it.  Appends "pass|fail NAME: T ..." lines to
#   RESULTS and lists the tests that fail on both.
#   With RERUN, the tests that differ run again on both builds first, as
#   make regress does: "RERUN DIR AGAIN T..." runs tests T of the suite
#   that left DIR and leaves their T.rc and T.out in AGAIN.  A test whose
#   difference goes away on the second run is flaky ("skip NAME: T
#   (flaky: ...)"); a difference that holds twice fails.
# closefds COMMAND...
#   Run COMMAND with only the standard descriptors open: test suites that
#   count descriptors (busybox's redir tests) fail on any inherited one.
# automake_results NAME LOG RESULTS
#   Turn an automake test driver's "PASS: t", "FAIL: t", "SKIP: t" ...
#   lines in LOG into "pass|fail|skip NAME: t" lines appended to RESULTS,
#   and show the ones that did not pass.

die() { echo "$me: $*" >&2; exit 1; }

source_dir() {
	stamp=$top/build/src/$1/.extracted
	[ -f "$stamp" ] || die "build/src/$1 holds no unpacked source (scripts/fetch-source)"
	echo "$top/build/src/$1/$(sed -n 2p "$stamp")"
}

build_setup() {
	package=$1 version=$2 patches=$3 work=$4
	"$top/scripts/fetch-source" "$package" "$version"
	src=$(source_dir "$package")
	[ -d "$src" ] || die "$src is missing"
	list=
	if [ "$patches" != none ]; then
		[ -f "$patches/series" ] || die "${patches#"$top"/}/series is missing"
		list=$(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$patches/series")
	fi
	for p in $list; do
		[ -f "$patches/$p" ] || die "${patches#"$top"/}/series names $p, which is missing"
	done
	log=$work/build.log
	key=$({
		echo "$package $version ${patches#"$top"/}"
		for p in $list; do cat "$patches/$p"; done
		cat "$0" "$top/scripts/lib/build.sh"
	} | sha256sum | cut -d' ' -f1)
}

build_current() {
	[ -f "$work/.built" ] && [ "$(cat "$work/.built")" = "$key" ] || return 1
	for f in "$@"; do
		[ -e "$work/$f" ] || return 1
	done
}

build_prepare() {
	if [ "$patches" = none ]; then
		echo "$me: building Debian's $package $version unpatched in ${work#"$top"/}"
	else
		echo "$me: building from $package $version with ${patches#"$top"/} in ${work#"$top"/}"
	fi
	rm -rf "$work"
	if [ "${1:-}" = --touched ]; then
		for p in $list; do
			sed -n 's|^+++ b/\([^	]*\).*|\1|p' "$patches/$p"
		done | sort -u | while read -r f; do
			mkdir -p "$work/$(dirname "$f")"
			[ ! -e "$src/$f" ] || cp -a "$src/$f" "$work/$f"
		done
	else
		cp -a "$src" "$work"
	fi
	cd "$work"
	: > "$log"
	for p in $list; do
		if ! patch -p1 --batch --forward --fuzz=0 --no-backup-if-mismatch \
			-i "$patches/$p" >>"$log" 2>&1; then
			tail -n 20 "$log" >&2
			die "${patches#"$top"/}/$p does not apply to $package $version"
		fi
		echo "$me: applied $p"
	done
}

run() {
	if ! "$@" >>"$log" 2>&1; then
		tail -n 40 "$log" >&2
		die "failed: $* (whole log: ${log#"$top"/})"
	fi
}

build_finish() {
	echo "$key" > "$work/.built"
}

replace_if_changed() {
	if cmp -s "$1" "$2"; then
		rm -f "$1"
		replaced=no
	else
		mv "$1" "$2"
		replaced=yes
	fi
}

copy_if_changed() {
	mkdir -p "$(dirname "$2")"
	cp "$1" "$2.tmp"
	replace_if_changed "$2.tmp" "$2"
}

install_static() {
	file=$work/$1 dest=$2
	[ -x "$file" ] || die "the build made no ${file#"$top"/}"
	if readelf -lW "$file" | grep -q 'Requesting program interpreter'; then
		die "${file#"$top"/} came out dynamically linked"
	fi
	mkdir -p "$(dirname "$dest")"
	strip -o "$dest.tmp" "$file"
	chmod 755 "$dest.tmp"
	replace_if_changed "$dest.tmp" "$dest"
	if [ "$replaced" = no ]; then
		echo "$me: ${dest#"$top"/} is up to date"
	else
		echo "$me: installed ${dest#"$top"/} (static, $(stat -c %s "$dest") bytes)"
	fi
}

automake_results() {
	sed -n -e 's/^\(PASS\|XFAIL\): \(.*\)/pass '"$1"': \2/p' \
		-e 's/^\(FAIL\|XPASS\|ERROR\): \(.*\)/fail '"$1"': \2/p' \
		-e 's/^SKIP: \(.*\)/skip '"$1"': \1/p' "$2" > "$2.results"
	sed -n 's/^\(fail\|skip\) /  \U\1\E  /p' "$2.results"
	echo "  $(grep -c '^pass' "$2.results") $1 tests passed (log: ${2#"$top"/})"
	cat "$2.results" >> "$3"
}

compare_suites() {
	name=$1 new=$2 old=$3 results=$4 rerun=${5:-}
	passed=0 skipped=0 both='' differing=''
	for rcfile in "$new"/*.rc; do
		t=${rcfile##*/}
		t=${t%.rc}
		same_as_base "$new" "$old" "$t" || differing="$differing $t"
	done
	if [ -n "$differing" ] && [ -n "$rerun" ]; then
		echo "  again, on both builds, the tests that differ:$differing"
		rm -rf "$new-again" "$old-again"
		mkdir -p "$new-again" "$old-again"
		# shellcheck disable=SC2086 # one word a test
		{ "$rerun" "$new" "$new-again" $differing &&
			"$rerun" "$old" "$old-again" $differing; } ||
			die "$name: running the tests again failed"
	fi
	for rcfile in "$new"/*.rc; do
		t=${rcfile##*/}
		t=${t%.rc}
		if [ "$(cat "$rcfile")" = 0 ]; then
			echo "pass $name: $t" >> "$results"
			passed=$((passed + 1))
		elif same_as_base "$new" "$old" "$t"; then
			echo "pass $name: $t fails identically without the patch" >> "$results"
			passed=$((passed + 1))
			both="$both $t"
		elif [ -n "$rerun" ] && same_as_base "$new-again" "$old-again" "$t"; then
			history="patched $(status_of "$new" "$t") then $(status_of "$new-again" "$t")"
			history="$history, base $(status_of "$old" "$t") then $(status_of "$old-again" "$t")"
			echo "skip $name: $t (flaky: exit status $history)" >> "$results"
			echo "  FLAKY $name: $t: exit status $history"
			skipped=$((skipped + 1))
		else
			echo "fail $name: $t" >> "$results"
			echo "  FAIL  $name: $t (${new#"$top"/}/$t.out)"
			sed 's/^/        /' "$new/$t.out" | head -n 20
		fi
	done
	echo "  $passed $name tests gave the same result as without the patch"
	[ "$skipped" = 0 ] || echo "  $skipped flaky: their difference went away on a second run"
	[ -z "$both" ] || echo "  failing with and without the patch:$both"
}

# same_as_base PATCHED BASE T: test T passed in PATCHED, or failed there
# exactly as in BASE.
same_as_base() {
	[ "$(status_of "$1" "$3")" = 0 ] && return 0
	[ -f "$1/$3.rc" ] && [ -f "$2/$3.rc" ] && [ "$(status_of "$2" "$3")" != 0 ] &&
		[ "$(normalize_out "$1" < "$1/$3.out")" = "$(normalize_out "$2" < "$2/$3.out")" ]
}

# status_of DIR T: test T's exit status in DIR, or "none" if it did not run.
status_of() {
	cat "$1/$2.rc" 2>/dev/null || echo none
}

# The failure output of a suite run in DIR, with DIR's build paths and
# numbers (process IDs, times, file descriptors) blanked.
normalize_out() {
	sed -e "s|$(dirname "$1")|BUILD|g" -e 's/[0-9][0-9]*/N/g'
}

closefds() {
	bash -c 'for f in /proc/$$/fd/*; do
		n=${f##*/}
		[ "$n" -gt 2 ] && eval "exec $n>&-"
	done
	exec "$@"' closefds "$@"
}
