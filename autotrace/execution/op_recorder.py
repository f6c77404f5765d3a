"""Which op types a backend handled: the differential tests of the XLA lowering and of the
ONNX exporter record the ops they ran, to check every lowering or converter was tested."""
import contextlib

__all__ = ["OpTypeRecorder"]


class OpTypeRecorder:
    """`with recorder.recording() as seen:` collects the op types passed to `note` inside."""

    def __init__(self):
        self._active = []

    def note(self, op_type):
        for seen in self._active:
            seen.add(op_type)

    @contextlib.contextmanager
    def recording(self):
        seen = set()
        self._active.append(seen)
        try:
            yield seen
        finally:
            self._active.remove(seen)
