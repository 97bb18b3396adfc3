# Which base a script works on, as the Makefile exports it (make BASE=6.12
# ...): BASE, the kernel series (7.3, 6.12); BUILD, its build directory
# relative to the project (build for mainline, build/6.12 for the
# backport), holding linux/, obj/, out/ and check/; SERIES, its patches
# (patches/linux, patches/linux-6.12).  A script run by hand, without them,
# works on mainline.
: "${BUILD:=build}" "${SERIES:=patches/linux}"
export BUILD SERIES
