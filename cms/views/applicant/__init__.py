"""What a structure's people use of the public site from their own space: its consent to the
portfolio."""
