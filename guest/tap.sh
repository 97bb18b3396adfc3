# TAP helpers for the guest's shell checks (sourced).
n=0 failed=0

# check DESCRIPTION COMMAND...: one test, passing if COMMAND succeeds
# (its output discarded).
check() {
	n=$((n + 1))
	desc=$1; shift
	if "$@" >/dev/null 2>&1; then
		echo "ok $n $desc"
	else
		echo "not ok $n $desc"
		failed=1
	fi
}
