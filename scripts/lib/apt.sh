# A private apt configuration under a directory of build/: its own sources
# list, lists, cache and state, so that "apt-get -c DIR/apt.conf" fetches
# from Debian's archive without touching /etc/apt, and the machine's own
# sources need no deb-src entry.  Sourced by scripts/fetch-source,
# fetch-busybox and fetch-base, which set $me (their name, for messages)
# first.
#
# private_apt DIR KIND
#   KIND "source": deb-src lines for bookworm and bookworm-security, with the
#        machine's dpkg status (for "apt-get source"), and one for trixie:
#        Debian 12's apparmor 3.0.8 source cannot be fetched (the archive
#        as this machine reaches it answers 404 for its orig tarball), so
#        scripts/build-apparmor-parser builds trixie's 4.1.0.  Every
#        package is fetched at a pinned version, so the bookworm ones
#        resolve as before; trixie is listed last and only adds versions;
#   KIND "kernel": deb lines for the suites that carry Debian's
#        linux-source-X.Y packages (Architecture: all), as amd64 indexes:
#        bookworm-security (6.12, the LTS of Debian 12 and 13),
#        trixie-backports (the newest mainline) and sid, with an empty dpkg
#        status (for "apt-get download"; never installed, scripts/fetch-base
#        unpacks them with dpkg-deb);
#   KIND a list of architectures such as "i386,arm64": deb lines for
#        bookworm's main of those only, with an empty dpkg status (for
#        "apt-get download" of another architecture's packages).
# apt_update DIR LOG
#   "apt-get update" through DIR/apt.conf, its output in DIR/LOG, shown and
#   fatal on failure.

keyring=/usr/share/keyrings/debian-archive-keyring.gpg
export DEBIAN_FRONTEND=noninteractive
archive=http://deb.debian.org/debian

die() { echo "$me: $*" >&2; exit 1; }

private_apt() {
	dir=$1 kind=$2
	[ -f "$keyring" ] || die "$keyring is missing: install debian-archive-keyring"
	mkdir -p "$dir/sources.list.d" "$dir/preferences.d" "$dir/lists/partial" \
		"$dir/cache/archives/partial" "$dir/state"
	if [ "$kind" = source ]; then
		status=/var/lib/dpkg/status
		cat > "$dir/sources.list" <<-EOF
		# Written by scripts/$me: source packages only.
		deb-src [signed-by=$keyring] $archive bookworm main
		deb-src [signed-by=$keyring] $archive-security bookworm-security main
		deb-src [signed-by=$keyring] $archive trixie main
		EOF
	elif [ "$kind" = kernel ]; then
		status=$dir/state/status
		: > "$status"
		cat > "$dir/sources.list" <<-EOF
		# Written by scripts/$me: Debian's kernel source packages.
		deb [arch=amd64 signed-by=$keyring] $archive-security bookworm-security main
		deb [arch=amd64 signed-by=$keyring] $archive trixie-backports main
		deb [arch=amd64 signed-by=$keyring] $archive sid main
		EOF
		kind=amd64
	else
		status=$dir/state/status
		: > "$status"
		cat > "$dir/sources.list" <<-EOF
		# Written by scripts/$me: binary packages of $kind.
		deb [arch=$kind signed-by=$keyring] $archive bookworm main
		EOF
	fi
	{
		cat <<-EOF
		// Written by scripts/$me (scripts/lib/apt.sh): a private apt.
		Dir::Etc::SourceList "$dir/sources.list";
		Dir::Etc::SourceParts "$dir/sources.list.d";
		Dir::Etc::Preferences "$dir/preferences";
		Dir::Etc::PreferencesParts "$dir/preferences.d";
		Dir::State "$dir/state";
		Dir::State::Lists "$dir/lists";
		Dir::State::status "$status";
		Dir::Cache "$dir/cache";
		Dir::Cache::Archives "$dir/cache/archives";
		// Root downloads into build/, which apt's _apt user may not be able to write.
		APT::Sandbox::User "root";
		EOF
		if [ "$kind" = source ]; then
			echo 'APT::Get::Only-Source "true";'
		else
			printf 'APT::Architectures { %s };\n' \
				"$(echo "$kind" | tr ',' '\n' | sed 's/.*/"&";/' | tr '\n' ' ')"
			echo '// Only the binary indexes: no translations or contents.'
			echo 'Acquire::Languages "none";'
			echo 'Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled "false";'
		fi
	} > "$dir/apt.conf"
}

apt_update() {
	apt-get -q -c "$1/apt.conf" update > "$1/$2" 2>&1 || {
		cat "$1/$2" >&2
		die "apt-get update (private configuration ${1#"$top"/}/apt.conf) failed"
	}
}
