# shellcheck shell=bash
# Shared by scripts/lint-*: the trees, the files the series touches, kernel
# configurations in object directories of their own, result lines, and the
# comparison of warnings between the base and the patched tree.  Sourced, not
# run.  The caller sets $results (a file, or /dev/null) first.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$top/scripts/lib/base.sh"
. "$top/scripts/lib/config.sh"
tree=$top/$BUILD/linux
base_tree=$top/$BUILD/linux-base
# The objects sparse, W=1 and coccicheck look at, patched and base: the same
# configuration, the guest's.
lint_obj=$top/$BUILD/obj/lint
lint_base_obj=$top/$BUILD/obj/lint-base
jobs=${JOBS:-$(nproc)}
# The base tree is a worktree of the pristine commit, as make base makes it.
[ -d "$base_tree" ] || git -C "$tree" worktree add -q --detach "$base_tree" base
passed=0
failed=0

# The guest kernel's fragments, as the Makefile's GUEST_CONFIG and
# SERIES_CONFIG name them.
guest_fragments=("$top/configs/guest.config"
	"$tree/tools/testing/selftests/rlimit_network/config"
	"$top/configs/series.config")

# The same compiler and cache settings as scripts/build-kernel, so that the
# objects built here hit the cache its builds filled.
cc=gcc
command -v ccache >/dev/null && cc="ccache gcc"
CCACHE_BASEDIR=$top
CCACHE_NOHASHDIR=1
export CCACHE_BASEDIR CCACHE_NOHASHDIR

# kmake SRC OBJ ARGS...: make in the kernel tree SRC with its objects in OBJ.
kmake() {
	local src obj
	src=$(realpath "$1"); obj=$(realpath -m "$2"); shift 2
	make -s -C "$src" O="$obj" ARCH=x86_64 CC="$cc" "$@"
}

# pass NAME [DETAIL], fail NAME LOG [DETAIL]: one case, printed and recorded
# (DETAIL only printed).
pass() {
	echo "  ok    $1${2:+ ($2)}"
	echo "pass $1" >> "$results"
	passed=$((passed + 1))
}
fail() {
	echo "  FAIL  $1${3:+: $3} (log: ${2#"$top"/})"
	echo "fail $1" >> "$results"
	failed=$((failed + 1))
}
note() { echo "  note  $1"; }

# Print "N passed, N failed" for this script's cases; succeed if none failed.
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# Print a duration in seconds as 1m05s.
duration() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

# The .c files the series changes, outside tools/ and Documentation/, and the
# .c files that expand INIT_RLIMITS, whose table the series extends in a
# header: relative to the tree, one a line.
series_c_files() {
	{
		git -C "$tree" diff --name-only base rlimit-network -- '*.c' |
			grep -v '^tools/\|^Documentation/'
		git -C "$tree" grep -lw INIT_RLIMITS rlimit-network -- '*.c' |
			sed 's/^rlimit-network://'
	} | sort -u
}

# Their objects, on one line; with SRC, only those whose .c file SRC has (the
# base tree lacks the files the series adds, whose warnings are all new).
series_objs() {
	local f
	for f in $(series_c_files); do
		[ -z "${1:-}" ] || [ -f "$1/$f" ] || continue
		printf '%s ' "${f%.c}.o"
	done
}

# Every file the series changes, outside tools/ and Documentation/.
series_files() {
	git -C "$tree" diff --name-only base rlimit-network |
		grep -v '^tools/\|^Documentation/'
}

# tree_state SRC: a hash of the tree's commit and its uncommitted changes to
# Kconfig files (what a configuration depends on besides the fragments).
tree_state() {
	{ git -C "$1" rev-parse HEAD
	  git -C "$1" diff HEAD -- ':(glob)**/Kconfig*'
	  git -C "$1" status --porcelain -- ':(glob)**/Kconfig*'; } | sha256sum | cut -c1-16
}

# make_config SRC OBJ FRAGMENT...: a tinyconfig with FRAGMENTs merged in
# order (a later one wins), as OBJ/.config, replaced only when it changes so
# that an unchanged configuration rebuilds nothing.  Every line of the LAST
# fragment must survive dependency resolution; so must every line of the
# others unless $loose is set (the configuration matrix turns options of the
# guest off, and with them what depends on them).  Skipped when neither the
# fragments nor the tree changed since the last time.
make_config() {
	local src obj gen line missing key
	src=$(realpath "$1"); obj=$(realpath -m "$2"); shift 2
	gen=$obj/.config-gen
	key=$({ cat "$@"; echo "loose=${loose:-}"; tree_state "$src"; } | sha256sum | cut -c1-16)
	[ -f "$obj/.config" ] && [ "$(cat "$obj/.lint-config-key" 2>/dev/null)" = "$key" ] && return 0
	rm -f "$obj/.lint-config-key"
	mkdir -p "$gen"
	make -s -C "$src" O="$gen" ARCH=x86_64 tinyconfig >/dev/null &&
	"$src/scripts/kconfig/merge_config.sh" -m -O "$gen" "$gen/.config" "$@" >/dev/null &&
	make -s -C "$src" O="$gen" ARCH=x86_64 olddefconfig >/dev/null || return 1
	local checked=("$@")
	[ -z "${loose:-}" ] || checked=("${@: -1}")
	missing=$(config_missing "$gen/.config" "${checked[@]}")
	if [ -n "$missing" ]; then
		echo "options the fragments ask for but the .config lacks:"
		echo "$missing"
		return 1
	fi
	cmp -s "$gen/.config" "$obj/.config" || cp "$gen/.config" "$obj/.config"
	echo "$key" > "$obj/.lint-config-key"
}

# same_config SRC OBJ CONFIG: OBJ/.config for the tree SRC made from the
# .config file CONFIG (another tree's), and it must come out the same: the
# series adds no Kconfig symbol, so base and patched are built alike.
same_config() {
	local src obj config=$3 key
	src=$(realpath "$1"); obj=$(realpath -m "$2")
	key=$({ cat "$config"; tree_state "$src"; } | sha256sum | cut -c1-16)
	[ -f "$obj/.config" ] && [ "$(cat "$obj/.lint-config-key" 2>/dev/null)" = "$key" ] && return 0
	rm -f "$obj/.lint-config-key"
	mkdir -p "$obj/.config-gen"
	cp "$config" "$obj/.config-gen/.config"
	make -s -C "$src" O="$obj/.config-gen" ARCH=x86_64 olddefconfig >/dev/null || return 1
	if ! diff -u "$config" "$obj/.config-gen/.config"; then
		echo "the base tree's olddefconfig changed the configuration"
		return 1
	fi
	cmp -s "$obj/.config-gen/.config" "$obj/.config" || cp "$obj/.config-gen/.config" "$obj/.config"
	echo "$key" > "$obj/.lint-config-key"
}

# lock_lint_objs: wait until no other lint script uses $lint_obj and
# $lint_base_obj, and keep them until this one exits.
lock_lint_objs() {
	mkdir -p "$lint_obj"
	exec 9> "$lint_obj.lock"
	flock -n 9 || { echo "  (waiting for another lint script using ${lint_obj#"$top"/})"; flock 9; }
}

# lint_configs LOG: the guest's configuration with AppArmor and SELinux
# (configs/lsm.config: the series changes AppArmor's policy unpacking) in
# $lint_obj (patched) and $lint_base_obj (base); the output goes to LOG.
lint_configs() {
	{ make_config "$tree" "$lint_obj" "${guest_fragments[@]}" "$top/configs/lsm.config" &&
	  same_config "$base_tree" "$lint_base_obj" "$lint_obj/.config"; } > "$1" 2>&1
}

# normalize < LOG: the warnings and errors in a build or checker log, one a
# line, as "file: message", with the trees' paths and the line and column
# numbers taken out (also "line N" inside a message), so that base and
# patched compare although the series moves lines.  Context lines ("In
# function", "note: in included file") carry no line number and go.
normalize() {
	perl -ne '
		s#\Q'"$top/$BUILD"'\E/linux(-base)?/##g;
		s#(\.\./)+linux(-base)?/##g;
		next unless s#^([^ :]+):[0-9]+(:[0-9]+(-[0-9]+)?)?: *#$1: #;
		s#line [0-9]+#line N#g;
		print;
	'
}

# added_lines: the lines the series adds or changes in the patched work tree,
# as "file start count", one hunk a line.
added_lines() {
	git -C "$tree" diff -U0 base -- . ':!tools' ':!Documentation' |
		perl -ne '$f = $1 if m#^\+\+\+ b/(.*)#;
			print "$f $1 ", (defined $2 ? $2 : 1), "\n" if /^@@ [^+]*\+(\d+)(?:,(\d+))? @@/'
}

# new_warnings BASE-LOG PATCHED-LOG: the warnings of the patched log that the
# base log does not have as often, compared by file and message (normalize),
# a message with its continuation lines (sparse's "expected" and "got", on
# the same line and column) as one.  Printed as they appear in the patched
# log, line numbers kept; where the base has some of the same message, those
# printed are the ones on lines the series changed first, then the last.
new_warnings() {
	perl -e '
		my ($top, $base, $patched, $added) = @ARGV;
		my %hunks;
		open(my $hunk_list, "<", $added) or die "$added: $!";
		while (<$hunk_list>) { my ($f, $s, $n) = split; push @{$hunks{$f}}, [$s, $s + $n - 1] }
		# units FILE: [key, text, file, line] for each message with its
		# continuation lines.
		sub units {
			my ($path) = @_;
			my @u;
			open(my $in, "<", $path) or die "$path: $!";
			while (my $l = <$in>) {
				chomp $l;
				$l =~ s#\Q$top\E/linux(-base)?/##g;
				$l =~ s#(\.\./)+linux(-base)?/##g;
				next unless $l =~ m#^([^ :]+):([0-9]+)((?::[0-9]+(?:-[0-9]+)?)?): *(.*)$#;
				my ($f, $n, $pos, $msg) = ($1, $2, $3, $4);
				(my $k = "$f: $msg") =~ s#line [0-9]+#line N#g;
				if (@u && $l =~ /^\S+:\s{2,}/ && $u[-1][2] eq $f && $u[-1][4] eq "$n$pos") {
					$u[-1][0] .= " | $k"; $u[-1][1] .= "\n$l";
				} else {
					push @u, [$k, $l, $f, $n, "$n$pos"];
				}
			}
			return @u;
		}
		my %count;
		$count{$_->[0]}++ for units($base);
		my (%by_key, @order);
		for my $u (units($patched)) {
			push @order, $u->[0] unless $by_key{$u->[0]};
			push @{$by_key{$u->[0]}}, $u;
		}
		my @new;
		for my $k (@order) {
			my @all = @{$by_key{$k}};
			my $extra = @all - ($count{$k} // 0);
			next if $extra <= 0;
			my $changed = sub { my $u = shift;
				scalar grep { $u->[3] >= $_->[0] && $u->[3] <= $_->[1] } @{$hunks{$u->[2]} // []} };
			my @pick = ((grep { $changed->($_) } @all), reverse grep { !$changed->($_) } @all);
			push @new, @pick[0 .. $extra - 1];
		}
		print "$_->[1]\n" for sort { $a->[2] cmp $b->[2] || $a->[3] <=> $b->[3] } @new;
	' "$top/$BUILD" "$1" "$2" <(added_lines)
}

# count_warnings LOG: how many messages (not counting continuation lines).
count_warnings() {
	perl -ne '$n++ if /^[^ :]+:\d+(?::\d+(?:-\d+)?)?+: ?\S/; END { print $n + 0, "\n" }' "$1"
}

# compare NAME BASE-LOG PATCHED-LOG [NOUN]: one case NAME, passing when the
# patched log has no warning (or NOUN) the base log lacks; the new ones are
# listed and kept in PATCHED-LOG.new.
compare() {
	local name=$1 base_log=$2 patched_log=$3 noun=${4:-warnings} new
	if ! new=$(new_warnings "$base_log" "$patched_log" 2>&1); then
		printf '%s\n' "$new" > "$patched_log.new"
		fail "$name" "$patched_log.new" "the comparison failed"
	elif [ -z "$new" ]; then
		pass "$name" "base $(count_warnings "$base_log"), patched $(count_warnings "$patched_log") $noun"
		rm -f "$patched_log.new"
	else
		printf '%s\n' "$new" > "$patched_log.new"
		fail "$name" "$patched_log.new" "$(count_warnings "$patched_log.new") new"
		sed 's/^/        /' "$patched_log.new"
	fi
}
