"""The command line: ``tenslog`` opens the dashboard; subcommands do the rest headless."""
