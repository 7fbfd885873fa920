#!/usr/bin/env bash
# Device-code and browser sign-in with stderr on a pseudo-terminal (python3's
# pty module, 100 columns): one status line rewritten in place (CR, erase
# line) with the code, the URL and the time left, ending in "Signed in as";
# with stderr not a terminal (or TERM=dumb), the plain lines of today.
source "$(dirname "$0")/lib.sh"
start_entra
use_test_ca
set_login_flags
export TERM=xterm

# pty_run TRANSCRIPT CMD...: CMD with stderr on a fresh 100-column pty (stdin
# /dev/null, stdout inherited); every byte it writes there goes to TRANSCRIPT.
cat >"$WORK/pty_run.py" <<'PY'
import fcntl, os, struct, subprocess, sys, termios
master, slave = os.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
attrs = termios.tcgetattr(slave)
attrs[1] &= ~termios.ONLCR  # keep "\n" as written, no "\r\n"
termios.tcsetattr(slave, termios.TCSANOW, attrs)
child = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL, stderr=slave, start_new_session=True)
os.close(slave)
with open(sys.argv[1], "wb", buffering=0) as out:
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the last holder of the slave is gone
            break
        if not data:
            break
        out.write(data)
sys.exit(child.wait())
PY
pty_run() { python3 "$WORK/pty_run.py" "$@"; }

# The status lines of a transcript, one per line: split at CR + erase line.
cat >"$WORK/status_lines.py" <<'PY'
import sys
parts = open(sys.argv[1], "rb").read().decode().split("\r\x1b[K")[1:]
print("\n".join(p.rstrip("\n") for p in parts))
PY
status_lines() { python3 "$WORK/status_lines.py" "$1"; }

# --- device code, on a terminal
entra_control config '{"auto_approve_after":-1,"interval":1}' >/dev/null
pty_run "$WORK/tty1" "$AKS_BIN_DIR/aks-token" login "${LOGIN_FLAGS[@]}" >"$WORK/out1" &
runner=$!
_pids+=("$runner")
code=""
for ((i = 0; i < 200; i++)); do
    code=$(entra_control pending | jq -r '.pending[0] // empty')
    [[ -n $code ]] && break
    sleep 0.05
done
[[ -n $code ]] || fail "no device code pending: $(cat "$WORK/tty1")"
# Three renderings (at least two seconds of countdown), then approve.
for ((i = 0; i < 200; i++)); do
    (($(grep -o ' left)' "$WORK/tty1" | wc -l) >= 3)) && break
    sleep 0.05
done
entra_control approve "{\"user_code\":\"$code\"}" >/dev/null
wait "$runner" || fail "login under a terminal failed: $(cat -v "$WORK/tty1")"
[[ ! -s $WORK/out1 ]] || fail "login wrote to stdout"

status_lines "$WORK/tty1" >"$WORK/lines1"
grep -q $'\r\e\[K' "$WORK/tty1" || fail "no in-place rewrite (CR, erase line): $(cat -v "$WORK/tty1")"
grep -q 'To sign in, use a web browser' "$WORK/tty1" &&
    fail "Entra's plain sentence on a terminal: $(cat -v "$WORK/tty1")"
first="^To sign in, open https://[^ ]+ and enter the code $code \(1?[0-9]:[0-5][0-9] left\)$"
head -n1 "$WORK/lines1" | grep -Eq "$first" ||
    fail "first status line: $(head -n1 "$WORK/lines1" | cat -v)"
# Every status line but the last is the same sentence with the time left, counting down.
mapfile -t left < <(grep -Eo '\([0-9]+:[0-9]{2} left\)$' "$WORK/lines1" | tr -d '()' | sed 's/ left//')
((${#left[@]} >= 3)) || fail "the status line was not updated: $(cat -v "$WORK/tty1")"
secs() { echo $((10#${1%%:*} * 60 + 10#${1##*:})); }
for ((i = 1; i < ${#left[@]}; i++)); do
    (($(secs "${left[$i]}") <= $(secs "${left[$((i - 1))]}"))) || fail "time left went up: ${left[*]}"
done
(($(secs "${left[0]}") > $(secs "${left[-1]}"))) || fail "time left never went down: ${left[*]}"
tail -n1 "$WORK/lines1" | grep -Eq "^Signed in as [^ ]+ \(tenant $TENANT\); token valid until [0-9T:Z-]+$" ||
    fail "last line: $(tail -n1 "$WORK/lines1" | cat -v)"
[[ $(tail -c1 "$WORK/tty1" | od -An -c | tr -d ' ') == '\n' ]] || fail "the transcript does not end with a newline"
assert_eq 1 "$(grep -o 'Signed in as' "$WORK/tty1" | wc -l)" "'Signed in as' lines"
# Nothing but our own rewrite sequence moves the cursor.
assert_eq 0 "$(tr -d '\r\n' <"$WORK/tty1" | sed 's/\x1b\[K//g' | LC_ALL=C grep -c '[[:cntrl:]]')" \
    "other control characters on the terminal"
assert_no_token_in "$WORK/tty1"
pass "device code on a terminal: one status line counting down, then Signed in as"

# --- get-token the way kubectl runs it on a terminal: stdout captured, stderr the terminal.
rm -rf "$CACHE_DIR"
entra_control config '{"auto_approve_after":2,"interval":0}' >/dev/null
KUBERNETES_EXEC_INFO=$EXEC_INFO_INTERACTIVE \
    pty_run "$WORK/tty2" "$AKS_BIN_DIR/aks-token" get-token "${LOGIN_FLAGS[@]}" >"$WORK/out2" ||
    fail "get-token under a terminal: $(cat -v "$WORK/tty2")"
jq -e '.kind == "ExecCredential" and (.status.token | length > 20)' "$WORK/out2" >/dev/null ||
    fail "stdout is not the ExecCredential: $(cat "$WORK/out2")"
status_lines "$WORK/tty2" | tail -n1 | grep -q '^Signed in as ' || fail "get-token: $(cat -v "$WORK/tty2")"
pass "get-token on a terminal: the status line on stderr, only the ExecCredential on stdout"

# --- not a terminal (CI, kubectl capturing): today's plain lines, no escape sequence.
rm -rf "$CACHE_DIR"
entra_control config '{"auto_approve_after":1,"interval":0}' >/dev/null
aks_token login "${LOGIN_FLAGS[@]}" </dev/null >/dev/null 2>"$WORK/err3" || fail "plain login: $(cat "$WORK/err3")"
grep -Eq '^To sign in, use a web browser to open the page https://.* and enter the code [A-Z0-9]+ to authenticate\.$' \
    "$WORK/err3" || fail "plain prompt: $(cat "$WORK/err3")"
assert_eq 2 "$(wc -l <"$WORK/err3")" "plain lines (the prompt, Signed in as)"
tail -n1 "$WORK/err3" | grep -q "^Signed in as .* (tenant $TENANT); token valid until " ||
    fail "plain: $(cat "$WORK/err3")"
LC_ALL=C grep -q $'[\r\e]' "$WORK/err3" && fail "escape or CR without a terminal: $(cat -v "$WORK/err3")"
# A terminal that cannot rewrite a line (TERM=dumb): plain lines as well.
rm -rf "$CACHE_DIR"
TERM=dumb pty_run "$WORK/tty4" "$AKS_BIN_DIR/aks-token" login "${LOGIN_FLAGS[@]}" ||
    fail "TERM=dumb: $(cat -v "$WORK/tty4")"
grep -q 'To sign in, use a web browser' "$WORK/tty4" || fail "TERM=dumb prompt: $(cat -v "$WORK/tty4")"
LC_ALL=C grep -q $'\e' "$WORK/tty4" && fail "escape sequence with TERM=dumb: $(cat -v "$WORK/tty4")"
pass "not a terminal, or TERM=dumb: the plain lines, printed once"

# --- browser sign-in on a terminal: the URL once, a waiting line, Signed in as.
mkdir -p "$WORK/bin"
cat >"$WORK/bin/slow-browser" <<SH
#!/usr/bin/env bash
# A person who takes two seconds, then signs in (the fetch follows the redirect).
( sleep 2; curl -sS -L --cacert "$PKI/ca.pem" -o /dev/null "\$1" ) </dev/null >/dev/null 2>&1 &
SH
chmod +x "$WORK/bin/slow-browser"
rm -rf "$CACHE_DIR"
BROWSER=$WORK/bin/slow-browser pty_run "$WORK/tty5" "$AKS_BIN_DIR/aks-token" login --login interactive \
    -t "$TENANT" --server-id "$SERVER_ID" --authority-host "$ENTRA_URL" --cache-dir "$CACHE_DIR" ||
    fail "browser login under a terminal: $(cat -v "$WORK/tty5")"
grep -q '^A browser window was opened for sign-in. If it did not open, visit:$' "$WORK/tty5" ||
    fail "browser: $(cat -v "$WORK/tty5")"
status_lines "$WORK/tty5" >"$WORK/lines5"
(($(grep -c '^Waiting for the browser sign-in ([0-9]:[0-9][0-9] left)$' "$WORK/lines5") >= 2)) ||
    fail "browser waiting line not updated: $(cat -v "$WORK/tty5")"
tail -n1 "$WORK/lines5" | grep -q '^Signed in as ' || fail "browser last line: $(tail -n1 "$WORK/lines5" | cat -v)"
assert_eq 1 "$(grep -o 'Signed in as' "$WORK/tty5" | wc -l)" "'Signed in as' lines (browser)"
pass "browser sign-in on a terminal: the URL once, a waiting line counting down, Signed in as"
