#!/usr/bin/env python3
# tfw.py: write TensorBoard event files for the tests (tests/cli/tfevents.sh,
# runs-info.sh, compare-attrs.sh), record by record as TensorBoard's own
# writer frames them (length, masked CRC-32C of it, the Event protobuf,
# masked CRC-32C of that).
#
# tfw.py FILE [-a] [-f FORM] [-t WALLTIME] SPEC...: write (-a: append to)
# an event file; a new one starts with the "brain.Event:2" version event.
# Each SPEC is TAG=VALUE@STEP, an event of wall time WALLTIME (default
# 1700000000) plus its step, in FORM: simple (simple_value, as TF1 and
# PyTorch write it), content (a TF2 scalar summary: plugin "scalars",
# DT_FLOAT of shape [] in tensor_content, as tf.summary.scalar writes it),
# float_val, double_val, double_content. With -f text a SPEC is TAG=TEXT:
# a text summary (plugin "text", DT_STRING, tag TAG/text_summary) with no
# step, as Guild AI's SummaryWriter logs an attr (guild.summary, files
# named *.attrs); no version event is written for those.
import struct
import sys


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c ^= b
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
    return c ^ 0xFFFFFFFF


def masked(data):
    c = crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def varint(n):
    out = b""
    while n >= 0x80:
        out += bytes([(n & 0x7F) | 0x80])
        n >>= 7
    return out + bytes([n])


def field(num, wire, payload):
    key = varint((num << 3) | wire)
    if wire == 2:
        return key + varint(len(payload)) + payload
    return key + payload


def record(ev):
    head = struct.pack("<Q", len(ev))
    return (head + struct.pack("<I", masked(head)) + ev +
            struct.pack("<I", masked(ev)))


def value(tag, v, form):
    out = field(1, 2, tag.encode())
    meta = field(9, 2, field(1, 2, field(1, 2, b"scalars")))
    if form == "simple":
        return out + field(2, 5, struct.pack("<f", v))
    if form == "content":
        t = field(1, 0, varint(1)) + field(2, 2, b"") + \
            field(4, 2, struct.pack("<f", v))
    elif form == "double_content":
        t = field(1, 0, varint(2)) + field(2, 2, b"") + \
            field(4, 2, struct.pack("<d", v))
    elif form == "float_val":
        t = field(1, 0, varint(1)) + field(2, 2, b"") + \
            field(5, 2, struct.pack("<f", v))
    elif form == "double_val":
        t = field(1, 0, varint(2)) + field(2, 2, b"") + \
            field(6, 2, struct.pack("<d", v))
    else:
        sys.exit("tfw.py: unknown form %r" % form)
    return out + meta + field(8, 2, t)


def text(tag, s, base):
    meta = field(9, 2, field(1, 2, field(1, 2, b"text")))
    t = field(1, 0, varint(7)) + field(2, 2, b"") + field(8, 2, s.encode())
    v = field(1, 2, (tag + "/text_summary").encode()) + meta + field(8, 2, t)
    return record(field(1, 1, struct.pack("<d", base)) +
                  field(5, 2, field(1, 2, v)))


def main(args):
    path = args.pop(0)
    mode, form, base = "wb", "simple", 1700000000.0
    while args and args[0].startswith("-"):
        opt = args.pop(0)
        if opt == "-a":
            mode = "ab"
        elif opt == "-f":
            form = args.pop(0)
        elif opt == "-t":
            base = float(args.pop(0))
    with open(path, mode) as f:
        if form == "text":
            for spec in args:
                tag, s = spec.split("=", 1)
                f.write(text(tag, s, base))
            return
        if mode == "wb":
            f.write(record(field(1, 1, struct.pack("<d", base)) +
                           field(3, 2, b"brain.Event:2")))
        for spec in args:
            tag, rest = spec.split("=", 1)
            v, step = rest.split("@")
            ev = (field(1, 1, struct.pack("<d", base + int(step))) +
                  field(2, 0, varint(int(step))) +
                  field(5, 2, field(1, 2, value(tag, float(v), form))))
            f.write(record(ev))


main(sys.argv[1:])
