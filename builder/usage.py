"""The command line's exit codes, and the error that means "used the wrong way" (exit code 2)."""

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass
