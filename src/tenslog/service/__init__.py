"""The background recorder (`tenslog service`): its runner, its journald-friendly log, and its
systemd user unit."""
