"""guild.summary: TensorBoard event files, as Guild AI's module writes them.

The subset of Guild AI 0.9's guild.summary that projects use:
SummaryWriter(logdir) with add_scalar, add_text, flush and close (also a
context manager). It needs neither TensorFlow nor TensorBoard: records are
encoded here (TFRecord framing, Event protocol buffers) and written as
they come, so guild shows them while the run goes on.

    from guild.summary import SummaryWriter
    with SummaryWriter("logs") as writer:
        writer.add_scalar("loss", 0.25, step=3)
"""

import os
import socket
import struct
import time

__all__ = ["SummaryWriter", "EventFileWriter"]

_uid = [0]


def _crc_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC_TABLE = _crc_table()


def _crc32c(data):
    c = 0xFFFFFFFF
    for b in bytearray(data):
        c = _CRC_TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def _masked_crc(data):
    c = _crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def _varint(n):
    if n < 0:
        n += 1 << 64
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _key(field, wire):
    return _varint((field << 3) | wire)


def _bytes_field(field, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return _key(field, 2) + _varint(len(data)) + data


def _double_field(field, val):
    return _key(field, 1) + struct.pack("<d", val)


def _float_field(field, val):
    return _key(field, 5) + struct.pack("<f", val)


def _int_field(field, val):
    return _key(field, 0) + _varint(val)


def _event(wall_time, step=None, summary=None, file_version=None):
    ev = _double_field(1, wall_time)
    if step is not None:
        ev += _int_field(2, step)
    if file_version is not None:
        ev += _bytes_field(3, file_version)
    if summary is not None:
        ev += _bytes_field(5, summary)
    return ev


def _scalar_summary(tag, val):
    value = _bytes_field(1, tag) + _float_field(2, float(val))
    return _bytes_field(1, value)


def _text_summary(tag, text):
    # As TensorBoard's text plugin writes it (text_pb): a string tensor
    # of shape [] with plugin "text".
    if not isinstance(text, bytes):
        text = str(text).encode("utf-8")
    metadata = _bytes_field(1, _bytes_field(1, "text"))
    tensor = _int_field(1, 7) + _bytes_field(2, b"") + _bytes_field(8, text)
    value = _bytes_field(1, tag) + _bytes_field(9, metadata) + _bytes_field(
        8, tensor
    )
    return _bytes_field(1, value)


def _filename_base():
    _uid[0] += 1
    return "%010d.%s.%d.%d" % (
        int(time.time()),
        socket.gethostname(),
        os.getpid(),
        _uid[0] - 1,
    )


class EventFileWriter:
    """Writes records to logdir/events.out.tfevents.BASE[SUFFIX]."""

    def __init__(self, logdir, filename_base=None, filename_suffix=""):
        if logdir and not os.path.isdir(logdir):
            os.makedirs(logdir)
        base = filename_base or _filename_base()
        self.path = os.path.join(
            logdir, "events.out.tfevents." + base + filename_suffix
        )
        self._f = open(self.path, "wb")
        self.add_event(_event(time.time(), file_version="brain.Event:2"))

    def add_event(self, event):
        header = struct.pack("<Q", len(event))
        record = (
            header
            + struct.pack("<I", _masked_crc(header))
            + event
            + struct.pack("<I", _masked_crc(event))
        )
        # One write per record, flushed: readers see whole records as
        # they come.
        self._f.write(record)
        self._f.flush()

    def flush(self):
        if self._f:
            self._f.flush()

    def close(self):
        if self._f:
            self._f.close()
            self._f = None


class SummaryWriter:
    """Guild AI's SummaryWriter: scalars and text for TensorBoard."""

    def __init__(self, logdir, filename_base=None, filename_suffix=""):
        self.logdir = logdir
        self._filename_base = filename_base
        self._filename_suffix = filename_suffix
        self._writer = None

    def _get_writer(self):
        if self._writer is None:
            self._writer = EventFileWriter(
                self.logdir, self._filename_base, self._filename_suffix
            )
        return self._writer

    def _add_summary(self, summary, step=None, walltime=None):
        if step is not None:
            step = int(step)
        if walltime is None:
            walltime = time.time()
        self._get_writer().add_event(_event(walltime, step, summary))

    def add_scalar(self, tag, val, step=None, walltime=None):
        self._add_summary(_scalar_summary(tag, val), step, walltime)

    def add_text(self, tag, val, step=None, walltime=None):
        self._add_summary(_text_summary(tag, val), step, walltime)

    def flush(self):
        if self._writer:
            self._writer.flush()

    def close(self):
        if self._writer:
            self._writer.close()

    def __enter__(self):
        return self

    def __exit__(self, *_args):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass
