#!/usr/bin/env bash
# Runs a command on a lab node as root over the loopback-forwarded SSH port, checking the node's host
# key against .lab/known_hosts (written by lab-up.sh before the VM booted).
# usage: test/lab/ssh.sh lab1|lab2 [command...]      (no command: an interactive shell)
set -euo pipefail
# shellcheck source=test/lab/lab.conf
source "$(dirname "$0")/lab.conf"
NODE=${1:?usage: ssh.sh lab1|lab2 [command...]}
shift
node_index "$NODE" >/dev/null
[ -f "$LAB_RUN/ssh_config" ] || { echo "error: the lab is not up (no $LAB_RUN/ssh_config): npm run lab:up" >&2; exit 1; }
exec ssh -F "$LAB_RUN/ssh_config" "$NODE" "$@"
