"""The check command's unittest result (outside the command package: listing the commands
imports every module in it, and unittest should load only when checking)."""

from __future__ import annotations

from unittest import TextTestResult as _TextTestResult


class TextTestResult(_TextTestResult):
    """unittest's result, with a summary that counts contracts rather than tests."""

    def printSummary(self, start: float, stop: float) -> None:  # noqa: N802 - unittest's style
        write, writeln = self.stream.write, self.stream.writeln
        run = self.testsRun
        writeln(self.separator2)
        writeln(f"Ran {run} contract{'' if run == 1 else 's'} in {stop - start:.3f}s")
        writeln()
        if self.wasSuccessful():
            write("OK")
            write("\n")
            return
        write("FAILED")
        counts = [
            f"{label}={len(outcomes)}"
            for label, outcomes in (("failures", self.failures), ("errors", self.errors))
            if outcomes
        ]
        if counts:
            writeln(f" ({', '.join(counts)})")
        else:
            write("\n")
