#!/bin/sh
# Browser tests drive Debian's chromium through Playwright (never `playwright install`).
# Install it with apt when it is missing and we can; otherwise fail with one line that says how.
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "chromium is missing: installing Debian's chromium with apt-get" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/tmp/lawsite-apt.log 2>&1 \
    || { echo "error: apt-get install chromium failed (see /tmp/lawsite-apt.log); run: sudo apt-get install chromium" >&2; exit 1; }
  [ -x "$CHROMIUM" ] && exit 0
fi
echo "error: chromium not found at $CHROMIUM; install it with: sudo apt-get install chromium (or set CHROMIUM=/path/to/chromium)" >&2
exit 1
