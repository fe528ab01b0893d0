#!/bin/sh
# Generate configure and Makefile.in; the only bootstrap step.
set -e
cd "$(dirname "$0")"
autoreconf -fi
