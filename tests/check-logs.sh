#!/bin/sh
# No log carries a password, a token or a message's text.  tests/run-integration.sh keeps
# every line liaison logged during the suite (LIAISON_LOG_COPY: every process and level,
# wherever a test sent its stderr; and the log lines found in each test's TMPDIR and output)
# in one folder, one file per test; this looks there for the secrets the tests use and for
# distinctive texts of the messages they deliver.
#
#   check-logs.sh DIR          exit 1, naming FILE:LINE and what was found, when a log has one
#   check-logs.sh --self-test  plants each secret in turn and checks that it is found
#
# The secrets: the IMAP and SMTP passwords of tests/servers (USER-secret), the web console
# passwords and the proxy secret the tests set, the OAuth2 tokens tests/servers/start.sh
# hands out (tok- and 16 hex digits) and the tests' wrong ones, any bearer token or token
# answer of an OAuth2 provider (the test provider's tokens are random: their form is what is
# looked for here, each OAuth2 test greps for the tokens themselves); the texts: bodies of
# tests/fixtures (workflow, the auto-reply cases, the sample mbox) and of the corpus
# generator.  A line holds one fixed string or extended regular expression.
cd "$(dirname "$0")/.." || exit 1

patterns() {
	cat <<'P'
\b[a-z0-9]+-secret\b
s3cret-of-the-proxy
correct horse battery
walsh battery staple
a long enough passphrase
\btok-[0-9a-f]{16}\b
expired-token
[Bb]earer [A-Za-z0-9._~+/-]{12,}
"(access|refresh)_token" *:
auth=Bearer
The streetlight at the corner of Elm and Main
barracks' hours for fingerprinting
neighbours play loud music every night
more foot patrols downtown on Friday nights
Cars race past the school on Route 6
It happened again this morning
Click here to keep your mailbox
I have a question for the liaison
outside my house right now with a gun
Mi esposo me pega y tengo miedo
He is still here with the gun
threatened to kill me tonight
the trooper was rude to me and my
would love to have a trooper
Me pararon en la ruta
P
}

# check DIR: every pattern against every file; prints the hits.
check() {
	patterns >"$1/.patterns"
	found=$(grep -rnE -f "$1/.patterns" --exclude=.patterns "$1")
	rm -f "$1/.patterns"
	if [ -n "$found" ]; then
		echo "check-logs: a log carries a secret or a message's text:" >&2
		echo "$found" | head -n 20 >&2
		return 1
	fi
	return 0
}

if [ "${1:-}" = "--self-test" ]; then
	dir=$(mktemp -d "${TMPDIR:-/tmp}/check-logs-self.XXXXXX") || exit 1
	printf 'liaison: info: outbox 3 (autoreply) thread K-2026-00001: sent\n' >"$dir/clean.log"
	check "$dir" 2>/dev/null || { echo "check-logs: self-test: a clean log was refused" >&2; exit 1; }
	# one line that holds each secret, in the forms a log would hold it
	samples='troopk-secret|relay-secret|s3cret-of-the-proxy|correct horse battery|walsh battery staple|a long enough passphrase|tok-0123456789abcdef|expired-token|Authorization: Bearer eyJ0eXAiOiJKV1Qi.abc|{"access_token": "x"}|{"refresh_token":"y"}|user=troopk\001auth=Bearer x|The streetlight at the corner of Elm and Main|barracks'"'"' hours for fingerprinting|neighbours play loud music every night|more foot patrols downtown on Friday nights|Cars race past the school on Route 6|It happened again this morning|Click here to keep your mailbox|I have a question for the liaison|outside my house right now with a gun|Mi esposo me pega y tengo miedo|He is still here with the gun|threatened to kill me tonight|the trooper was rude to me and my|would love to have a trooper|Me pararon en la ruta'
	n=0
	IFS='|'
	for s in $samples; do
		printf 'liaison: debug: mailbox K/INBOX: %s.\n' "$s" >"$dir/planted.log"
		if check "$dir" 2>/dev/null; then
			echo "check-logs: self-test: '$s' planted in a log was not found" >&2
			rm -rf "$dir"
			exit 1
		fi
		n=$((n + 1))
	done
	unset IFS
	# and no pattern goes untried: each finds one of the samples
	echo "$samples" | tr '|' '\n' >"$dir/samples"
	patterns | while IFS= read -r p; do
		grep -qE -- "$p" "$dir/samples" || { echo "check-logs: self-test: no sample for '$p'" >&2; exit 1; }
	done || { rm -rf "$dir"; exit 1; }
	rm -rf "$dir"
	echo "check-logs: self-test: each of the $n secrets planted in a log is found"
	exit 0
fi

[ -d "${1:-}" ] || { echo "usage: check-logs.sh DIR | --self-test" >&2; exit 2; }
lines=$(cat "$1"/* 2>/dev/null | wc -l)
[ "$lines" -gt 0 ] || { echo "check-logs: no log line at all in $1: nothing was checked" >&2; exit 1; }
check "$1" || exit 1
echo "check-logs: $lines log lines of $(ls "$1" | wc -l) files: no password, token or message text"
