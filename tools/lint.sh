#!/bin/sh
# make lint: the build with warnings as errors, no unsafe string functions, cppcheck clean.
set -e
cd "$(dirname "$0")/.."
make -s liaison
banned='\b(strcpy|strcat|sprintf|vsprintf|gets)[[:space:]]*\('
if grep -nE "$banned" src/*/*.c src/*/*.h include/*.h tests/unit/*.c tests/fuzz/*.c 2>/dev/null; then
	echo "lint: banned unsafe string function (use snprintf, strlcpy-style helpers, buf_*)" >&2
	exit 1
fi
cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
	--std=c11 --inline-suppr --library=gtk -Iinclude --suppress=missingIncludeSystem \
	src include
sh tools/check-layers.sh
echo "lint: clean"
