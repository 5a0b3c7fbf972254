#!/bin/sh
# Install what brandsweep needs outside Python, only where it is missing:
# Chromium (JavaScript marketplaces, evidence screenshots, report checks) and a CJK font
# (Chinese text in screenshots), and tmux (the test that watches a progress bar in a real
# terminal). Debian as root: Debian's packages. Elsewhere: Playwright's
# own browser download, for machines that can reach it.
set -eu
have_cjk_font() { fc-list 2>/dev/null | grep -qi 'cjk'; }
if [ -x /usr/bin/chromium ] && have_cjk_font && command -v tmux >/dev/null 2>&1 && command -v soffice >/dev/null 2>&1; then
    exit 0
fi
if [ -f /etc/debian_version ] && [ "$(id -u)" = 0 ]; then
    echo "installing Chromium, CJK fonts and tmux from Debian's packages ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # libreoffice-calc-nogui: the test that opens the leads CSV in a real spreadsheet program
    apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk tmux libreoffice-calc-nogui >/dev/null
elif [ ! -x /usr/bin/chromium ]; then
    echo "no /usr/bin/chromium: installing Playwright's Chromium instead ..."
    .venv/bin/python -m playwright install chromium
fi
