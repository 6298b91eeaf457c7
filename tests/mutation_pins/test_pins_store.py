"""Store write path pins go here (tools/mutation.py store); none yet: the group is not measured (docs/mutation.md)."""
