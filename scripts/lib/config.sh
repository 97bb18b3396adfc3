# Checking a kernel configuration against the fragments it was made from:
# the check scripts/build-kernel and scripts/lint-lib.sh share.  Sourced.
#
# config_missing CONFIG FRAGMENT...
#   Print, one a line, each option line of the FRAGMENTs that CONFIG lacks
#   (for an option several fragments set, the last one's value, as
#   merge_config.sh applies them), but for the options a "# not-on-arch:"
#   line or a "# not-on-base $BASE:" line of a FRAGMENT names: the
#   architecture or the base lacks them, so they must be absent or off
#   instead, and one that is on is printed as "# CONFIG_FOO is not set".
#   Prints nothing when CONFIG is as the fragments ask.
config_missing() {
	local config absent line name
	config=$1; shift
	absent=$(cat "$@" | sed -n -e 's/^# *not-on-arch: *//p' \
		-e "s/^# *not-on-base  *${BASE:-none}: *//p" | tr ' \t' '\n\n' | grep . || true)
	cat "$@" | grep -E '^(CONFIG_|# CONFIG_)' | awk -v absent="$absent" '
		BEGIN { split(absent, a, "\n"); for (i in a) skip[a[i]] = 1 }
		{ name = $0; sub(/^# /, "", name); sub(/[= ].*/, "", name) }
		name in skip { next }
		!(name in last) { order[++n] = name }
		{ last[name] = $0 }
		END { for (i = 1; i <= n; i++) print last[order[i]] }' |
	while read -r line; do
		grep -qxF -- "$line" "$config" || echo "  $line"
	done
	for name in $absent; do
		if grep -qE "^$name=[ym]" "$config"; then echo "  # $name is not set"; fi
	done
}
