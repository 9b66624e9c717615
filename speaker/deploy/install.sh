#!/bin/sh
# Installs the Mimamori reference speaker as a systemd service on Raspberry Pi OS, Debian or
# Ubuntu, from the credentials file staff issued for the device (docs/speakers.md):
#
#   sudo ./install.sh credentials.json [speaker.json]
#
# Run it from the unpacked release (npm run package -w speaker builds mimamori-speaker.tar.gz).
# Installs Debian's packages, creates the service user, puts the speaker in /opt, its settings
# and credentials in /etc/mimamori-speaker, enables the service and starts it. Run it again to
# update the release, the credentials or the settings; answers kept on the device stay.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=/opt/mimamori-speaker
ETC=/etc/mimamori-speaker
STATE=/var/lib/mimamori-speaker
SERVICE_USER=mimamori-speaker

die() {
  echo "install: $*" >&2
  exit 1
}

[ "$(id -u)" = 0 ] || die "run as root: sudo $0 $*"
[ $# -ge 1 ] || die "usage: sudo $0 CREDENTIALS.json [SETTINGS.json]"
CREDENTIALS=$1
SETTINGS=${2:-}
[ -r "$CREDENTIALS" ] || die "cannot read the credentials file $CREDENTIALS"
[ -z "$SETTINGS" ] || [ -r "$SETTINGS" ] || die "cannot read the settings file $SETTINGS"
[ -f "$HERE/bin/mimamori-speaker.mjs" ] || die "run the install.sh of the unpacked release (npm run package -w speaker)"

echo "install: Debian packages (Node.js, Open JTalk with its dictionary, espeak-ng, ALSA utilities, libgpiod tools)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  nodejs open-jtalk open-jtalk-mecab-naist-jdic espeak-ng alsa-utils gpiod ca-certificates >/dev/null
NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]')
[ "$NODE_MAJOR" -ge 18 ] || die "Node.js $NODE_MAJOR is too old; the speaker needs 18 or newer"

echo "install: service user $SERVICE_USER (groups audio, input and gpio where they exist)"
getent passwd "$SERVICE_USER" >/dev/null ||
  useradd --system --home-dir "$STATE" --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
for group in audio input gpio; do
  if getent group "$group" >/dev/null; then usermod -a -G "$group" "$SERVICE_USER"; fi
done

echo "install: the speaker in $PREFIX"
rm -rf "$PREFIX.new"
mkdir -p "$PREFIX.new/bin"
cp "$HERE/bin/mimamori-speaker.mjs" "$PREFIX.new/bin/"
cp -r "$HERE/voices" "$HERE/README.md" "$PREFIX.new/"
rm -rf "$PREFIX"
mv "$PREFIX.new" "$PREFIX"
chmod -R a+rX "$PREFIX"
chmod 0755 "$PREFIX/bin/mimamori-speaker.mjs"
ln -sf "$PREFIX/bin/mimamori-speaker.mjs" /usr/local/bin/mimamori-speaker

echo "install: credentials and settings in $ETC"
install -d -m 0750 -o root -g "$SERVICE_USER" "$ETC"
# The device secret: readable by the service, not by other users.
install -m 0640 -o root -g "$SERVICE_USER" "$CREDENTIALS" "$ETC/credentials.json"
if [ -n "$SETTINGS" ]; then
  install -m 0640 -o root -g "$SERVICE_USER" "$SETTINGS" "$ETC/speaker.json"
elif [ ! -f "$ETC/speaker.json" ]; then
  # A USB keypad shows up as a keyboard; the first one found is taken (edit to choose another).
  KEYPAD=$(ls /dev/input/by-id/*-event-kbd 2>/dev/null | head -n 1 || true)
  BUTTONS=""
  [ -z "$KEYPAD" ] || BUTTONS="\"buttons\": { \"input\": [{ \"device\": \"$KEYPAD\" }] },"
  cat >"$ETC/speaker.json" <<SETTINGS_JSON
{
  "credentials": "$ETC/credentials.json",
  "stateDir": "$STATE",
  $BUTTONS
  "audio": { "backend": "aplay" }
}
SETTINGS_JSON
  chown root:"$SERVICE_USER" "$ETC/speaker.json"
  chmod 0640 "$ETC/speaker.json"
  [ -n "$KEYPAD" ] || echo "install: no USB keypad found; add buttons to $ETC/speaker.json (docs/speakers.md)"
fi
install -d -m 0750 -o "$SERVICE_USER" -g "$SERVICE_USER" "$STATE"

echo "install: checking"
if ! runuser -u "$SERVICE_USER" -- node "$PREFIX/bin/mimamori-speaker.mjs" check --config "$ETC/speaker.json"; then
  echo "install: fix what is marked PROBLEM above; the service is installed anyway and keeps trying"
fi

echo "install: systemd service mimamori-speaker"
install -m 0644 "$HERE/mimamori-speaker.service" /etc/systemd/system/mimamori-speaker.service
systemctl enable mimamori-speaker.service
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl restart mimamori-speaker.service
  echo "install: running; its log: journalctl -u mimamori-speaker -f"
else
  echo "install: systemd is not running here (a chroot?); the service starts at the next boot"
fi
