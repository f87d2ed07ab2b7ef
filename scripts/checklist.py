"""The pass/fail lines of the end-to-end scripts (two_servers.py, disk_faults.py): each check printed as it is made,
the failures counted in a closing summary line that decides the exit status."""


class Checklist:
    """Checks printed as `  ok   message` or `  FAIL message` when made; the failed messages kept in `failures`."""

    def __init__(self):
        self.failures = []

    def check(self, condition, message):
        """Prints `message` marked ok or FAIL by `condition`, and keeps it when it failed."""
        print(("  ok   " if condition else "  FAIL ") + message)
        if not condition:
            self.failures.append(message)

    def summary(self, name, where):
        """Prints `name: all passed`, or `name: N FAILED (where)` naming where to look (the logs), and returns the
        exit status: 0 when every check passed, 1 otherwise."""
        if self.failures:
            print(f"{name}: {len(self.failures)} FAILED ({where})")
            return 1
        print(f"{name}: all passed")
        return 0
