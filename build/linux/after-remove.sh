#!/bin/sh
# deb post-remove: drop the `kubetray` link if it still points into the removed app.
set -e
if [ -L /usr/bin/kubetray ] && [ ! -e /usr/bin/kubetray ]; then rm -f /usr/bin/kubetray; fi
