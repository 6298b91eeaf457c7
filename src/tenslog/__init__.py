"""tenslog: a TENS session logger that helps you judge, honestly, whether the unit helps."""

__version__ = "0.1.0"
