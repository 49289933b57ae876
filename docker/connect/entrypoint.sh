#!/bin/sh
# Worker settings: the defaults in connect-distributed.properties, then every CONNECT_* environment variable as
# a property (CONNECT_BOOTSTRAP_SERVERS -> bootstrap.servers, CONNECT_SASL_JAAS_CONFIG -> sasl.jaas.config), the
# convention of the Confluent images, so that security settings pass through unchanged.
set -eu
config=/tmp/connect-distributed.properties
cp /opt/kaveri/connect-distributed.properties "$config"
env | grep '^CONNECT_' | while IFS='=' read -r key value; do
  name=$(echo "${key#CONNECT_}" | tr 'A-Z_' 'a-z.')
  printf '%s=%s\n' "$name" "$value" >> "$config"
done
exec /opt/kafka/bin/connect-distributed.sh "$config"
