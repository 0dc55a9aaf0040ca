"""What visitors and proposers use: the agenda, the directory, proposals, feeds."""
