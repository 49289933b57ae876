#!/usr/bin/env bash
# Replaces the dashboard's vendored chart library with a release from npm (default: the latest), so the page
# needs no CDN at run time and the build no Node.js. Usage: streams-apps/query/update-chart-library.sh [version]
set -euo pipefail
cd "$(dirname "$0")"
version="${1:-latest}"
web=src/main/resources/io/kaveri/streams/query/web/vendor
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "lightweight-charts@$version" >/dev/null && tar xzf lightweight-charts-*.tgz)
cp "$work/package/dist/lightweight-charts.standalone.production.mjs" "$web/"
cp "$work/package/LICENSE" "$web/lightweight-charts.LICENSE"
echo "lightweight-charts $(node -p "require('$work/package/package.json').version") vendored into $web"
