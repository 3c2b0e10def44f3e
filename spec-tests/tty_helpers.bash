# Helpers for the terminal, exec and ps suites: the console-socket
# receiver (spec-tests/tools/recvtty.c) and a
# private tmux server that gives the runtime a real terminal to relay.

# start_recvtty: receive the pty master on $SOCK in the background, with
# recvtty's checks; its one-line report lands in $TTY_INFO, the container's
# terminal output in $TTY_OUT (until the last slave closes).
start_recvtty() {
	SOCK=$BATS_TEST_TMPDIR/console.sock
	TTY_INFO=$BATS_TEST_TMPDIR/tty.info
	TTY_OUT=$BATS_TEST_TMPDIR/tty.out
	TTY_ERR=$BATS_TEST_TMPDIR/tty.err
	rm -f "$SOCK" "$TTY_INFO"
	"$TOOLS/recvtty" "$SOCK" "$TTY_INFO" </dev/null >"$TTY_OUT" 2>"$TTY_ERR" 3>&- 4>&- &
	RECVTTY_PID=$!
	wait_for 5 test -S "$SOCK"
}

stop_recvtty() {
	if [ -n "${RECVTTY_PID:-}" ]; then
		kill "$RECVTTY_PID" 2>/dev/null || true
	fi
	RECVTTY_PID=
	return 0
}

# tmux on this test's own server (never the user's).
tmux_() {
	tmux -S "$TMUX_SOCK" "$@"
}

# tmux_start SCRIPT: run SCRIPT (sh) in a detached 80x24 session "t"; the
# pane stays (sleeping) after SCRIPT so that its screen can be read.
tmux_start() {
	TMUX_SOCK=$(mktemp -u /tmp/ort-tmux.XXXXXX)
	printf '%s\n' "$1" >"$BATS_TEST_TMPDIR/pane.sh"
	tmux_ -f /dev/null new-session -d -s t -x 80 -y 24 "sh $BATS_TEST_TMPDIR/pane.sh; exec sleep 1000" 3>&- 4>&-
}

tmux_stop() {
	if [ -n "${TMUX_SOCK:-}" ]; then
		tmux_ kill-server 2>/dev/null || true
		rm -f "$TMUX_SOCK"
	fi
	TMUX_SOCK=
	return 0
}

# screen: the pane's visible lines, trailing spaces and empty lines dropped.
screen() {
	tmux_ capture-pane -p -t t | sed 's/ *$//' | grep -v '^$'
}

# wait_screen REGEX [SECONDS]: until a line of the pane matches REGEX.
wait_screen() {
	local re=$1 limit=${2:-5} i
	for ((i = 0; i < limit * 10; i++)); do
		screen | grep -qE "$re" && return 0
		sleep 0.1
	done
	echo "screen never showed /$re/:"
	screen
	return 1
}

# type_line TEXT: type TEXT and Enter into the pane.
type_line() {
	tmux_ send-keys -t t -l "$1"
	tmux_ send-keys -t t Enter
}

# check_interactive PROMPT DONE CODE: once the pane shows PROMPT (a regex),
# the container's terminal is its pts 0 at the pane's 80x24; after the pane
# is resized to 100x30 the container sees the new size; `exit CODE` then
# brings DONE (a regex) on screen.
check_interactive() {
	wait_screen "$1" 20
	type_line 'tty; stty size'
	wait_screen '^24 80$'
	screen | grep -qx /dev/pts/0
	tmux_ resize-window -t t -x 100 -y 30
	sleep 0.3
	type_line 'stty size'
	wait_screen '^30 100$'
	type_line "exit $3"
	wait_screen "$2" 20
}
