#!/bin/sh
# Install what brandsweep needs outside Python, only where it is missing:
# Chromium (JavaScript marketplaces, evidence screenshots, report checks) and a CJK font
# (Chinese text in screenshots), libGL/GLib for OpenCV, and tmux (the test that watches a progress bar in a real
# terminal). Debian as root: Debian's packages. Elsewhere: Playwright's
# own browser download, for machines that can reach it.
set -eu
have_cjk_font() { fc-list 2>/dev/null | grep -qi 'cjk'; }
# libGL and GLib: OpenCV's cv2 (photo reading) loads them
have_gl() { ldconfig -p 2>/dev/null | grep -q 'libGL.so.1' && ldconfig -p 2>/dev/null | grep -q 'libgthread-2.0.so.0'; }
if [ -x /usr/bin/chromium ] && have_cjk_font && have_gl && command -v tmux >/dev/null 2>&1 && command -v soffice >/dev/null 2>&1; then
    exit 0
fi
if [ -f /etc/debian_version ] && [ "$(id -u)" = 0 ]; then
    echo "installing Chromium, CJK fonts and tmux from Debian's packages ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # libreoffice-calc-nogui: the test that opens the leads CSV in a real spreadsheet program
    apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk tmux libreoffice-calc-nogui \
        libgl1 libglib2.0-0 >/dev/null
elif [ ! -x /usr/bin/chromium ]; then
    echo "no /usr/bin/chromium: installing Playwright's Chromium instead ..."
    .venv/bin/python -m playwright install chromium
fi
