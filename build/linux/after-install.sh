#!/bin/sh
# deb post-install: put the `kubetray` client on PATH and refresh the desktop database.
set -e
ln -sf '/opt/${productFilename}/resources/bin/kubetray' /usr/bin/kubetray
chmod 0755 '/opt/${productFilename}/resources/bin/kubetray' || true
if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q /usr/share/applications || true; fi
