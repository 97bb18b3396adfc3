# Shared by scripts/check and scripts/check-all: run named steps that append
# "pass|fail|skip NAME" lines to $results, then print one closing line,
# "N passed, N failed[, N skipped]", counting test cases, not steps.
# The caller sets $dir (a fresh directory under build/) first.

results=$dir/results
rm -rf "$dir"
mkdir -p "$dir"
: > "$results"
broken=()

step() {
	local name=$1; shift
	echo "== $name"
	"$@" || broken+=("$name")
}

# Print the closing line; succeed only if something passed and nothing failed.
summary() {
	local passed failed skipped name line
	passed=$(grep -c '^pass ' "$results")
	failed=$(grep -c '^fail ' "$results")
	skipped=$(grep -c '^skip ' "$results")
	# A step that failed without a failing case still counts once.
	for name in "${broken[@]}"; do
		grep -q "^fail " "$results" || { echo "fail $name" >> "$results"; failed=$((failed + 1)); }
	done
	echo
	if [ "$failed" -gt 0 ]; then
		echo "Failed:"
		sed -n 's/^fail /  /p' "$results"
	fi
	line="$passed passed, $failed failed"
	[ "$skipped" -eq 0 ] || line="$line, $skipped skipped"
	echo "$line"
	[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
}
