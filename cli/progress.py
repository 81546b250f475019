"""Progress bars in the terminal for long commands: one click progress bar per phase."""
import click

DATE = click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"])


class PhaseBars:
    """A progress(phase, done, total) callback drawing a bar for each phase in turn.

    Use as a context manager so the last bar is closed; label_extra(phase, done, total) may
    add words after the count (an ETA, for example).
    """

    def __init__(self, file=None, label_extra=None):
        self.file, self.label_extra = file, label_extra
        self.phase, self.bar, self.shown = None, None, 0

    def __call__(self, phase, done, total):
        if phase != self.phase:
            self.close()
            self.phase, self.shown = phase, 0
            self.bar = click.progressbar(length=max(total or done or 1, 1), label=phase,
                                         file=self.file, show_pos=True, show_eta=True,
                                         item_show_func=self._extra)
            self.bar.__enter__()
        self.bar.length = max(total or done or 1, done, 1)
        self.current = (done, total)
        if done > self.shown:
            self.bar.update(done - self.shown)
            self.shown = done

    def _extra(self, _item):
        if self.label_extra is None or self.phase is None:
            return None
        return self.label_extra(self.phase, *self.current)

    def close(self):
        """Finish the current bar."""
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
