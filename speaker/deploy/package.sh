#!/bin/sh
# Builds the release an installer copies to the device: the speaker and its dependencies as one
# JavaScript file (no npm on the device), the voice with its licence, and the installer.
#   npm run package -w speaker   →   speaker/dist/mimamori-speaker.tar.gz
set -eu
cd "$(dirname "$0")/.."
OUT=dist/package/mimamori-speaker
rm -rf dist/package dist/mimamori-speaker.tar.gz
mkdir -p "$OUT/bin"
# Node 18 is Debian 12's (Raspberry Pi OS bookworm); sherpa-onnx-node stays outside, as it carries native code.
npx esbuild dist/cli.js --bundle --platform=node --format=esm --target=node18 \
  --external:sherpa-onnx-node --log-level=warning --outfile="$OUT/bin/mimamori-speaker.mjs" \
  --banner:js="import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
cp -r voices README.md "$OUT/"
cp deploy/install.sh deploy/mimamori-speaker.service deploy/speaker.example.json "$OUT/"
tar -C dist/package -czf dist/mimamori-speaker.tar.gz mimamori-speaker
echo "dist/mimamori-speaker.tar.gz"
