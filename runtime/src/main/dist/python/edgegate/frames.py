"""Camera frames of an EdgeGate gateway from shared memory, as numpy arrays.

The gateway's shared-memory publisher (factory PID org.edgegate.shm.frames) writes each camera's
frames into a ring of slots in ``<dir>/<camera>.frames`` (default dir ``/dev/shm/edgegate``). This
module maps that file read-only and copies the newest frame out under the slot's sequence lock, so
it never returns a torn frame and never slows or blocks the gateway. Pure Python and numpy; the
layout is in the gateway's docs/shm.md.

    from edgegate import frames

    with frames.open("cam0") as cam:          # frames.open("cam0", dir="/dev/shm/edgegate")
        f = cam.next(timeout=1.0)             # newest frame newer than the last one, or None
        if f is not None:
            print(f.seq, f.ts, f.width, f.height, f.skipped, f.image.shape)   # (H, W, 3) uint8 BGR

``f.image`` is a private copy the caller may keep and change. With a ``format = jpeg`` publisher
``f.image`` is None and ``f.jpeg`` holds the JPEG bytes (``cv2.imdecode(numpy.frombuffer(f.jpeg,
numpy.uint8), cv2.IMREAD_COLOR)`` decodes it).

When the gateway stops or restarts, ``next`` waits for the file to come back (returning None at each
timeout) and maps the new one; a new frame size is picked up the same way. A file damaged by another
process (truncated, overwritten) is re-mapped once the gateway has made it anew; if it stays damaged,
``next`` raises FramesError at its timeout.
"""

import mmap
import os
import struct
import time
import zlib

import numpy as np

__all__ = ["open", "Camera", "Frame", "FramesError", "DEFAULT_DIR"]

DEFAULT_DIR = "/dev/shm/edgegate"

MAGIC = b"EGFRAMES"
VERSION = 1
STATE_LIVE, STATE_CLOSED, STATE_REPLACED = 1, 2, 3
FORMAT_BGR, FORMAT_JPEG = 1, 2
FLAG_CRC = 1

# File header: magic, version, header size, slot count, slot header size, slot stride, slot capacity,
# generation, state, writer pid, latest slot, format, width, height, frames written (docs/shm.md).
_HEADER = struct.Struct("<8sIIIIQQQIIiIIIQ")
# state, writer pid, latest slot, format, width, height, frames written: one read per look
_LIVE = struct.Struct("<IIiIIIQ")
_LIVE_AT = 48
# Slot header: lock, sequence, time (ns since the epoch), monotonic capture time (ns), width, height,
# format, payload length, CRC-32, flags.
_SLOT = struct.Struct("<QQQQIIIIII")
_MIN_SLOT_HEADER = 64

_POLL = 0.0003  # seconds between looks at the header while a frame is due
_MARGIN = 0.001  # wake this long before a frame is due
_RECHECK = 0.5  # seconds between checks that the path still names the mapped file
_RETRIES = 100  # copies in a row thrown away (the writer lapped us) before the look gives up


class FramesError(Exception):
    """The frame file is missing, damaged, or not a frame file of a layout this module reads."""


class Frame:
    """One frame: ``seq`` (the camera's frame number), ``ts`` (capture time, seconds since the epoch),
    ``monotonic`` (capture time on this machine's monotonic clock, comparable with
    ``time.monotonic()``), ``width``, ``height``, ``image`` (H x W x 3 uint8 BGR, a private copy; None
    for JPEG), ``jpeg`` (bytes for a JPEG publisher, else None) and ``skipped`` (the camera's frames
    missed since the previous frame returned)."""

    __slots__ = ("seq", "ts", "monotonic", "width", "height", "image", "jpeg", "skipped")

    def __init__(self, seq, ts, monotonic, width, height, image, jpeg, skipped):
        self.seq = seq
        self.ts = ts
        self.monotonic = monotonic
        self.width = width
        self.height = height
        self.image = image
        self.jpeg = jpeg
        self.skipped = skipped

    def __repr__(self):
        kind = "jpeg %d bytes" % len(self.jpeg) if self.jpeg is not None else "bgr"
        return "Frame(seq=%d, %dx%d %s, skipped=%d)" % (self.seq, self.width, self.height, kind, self.skipped)


def open(name, dir=DEFAULT_DIR, verify=False):  # noqa: A001 - the module's API is frames.open
    """Maps ``<dir>/<name>.frames`` read-only. ``verify=True`` also checks each frame's CRC-32 when
    the publisher writes one (its ``checksum`` setting). Raises FileNotFoundError when the file is
    not there (no publisher for that camera, or it has not had a frame yet) and FramesError when it
    is not a readable frame file."""
    return Camera(name, dir, verify)


class Camera:
    """A camera's frame file, mapped read-only. Not for use by several threads at once."""

    def __init__(self, name, dir=DEFAULT_DIR, verify=False):
        self.name = name
        self.path = os.path.join(dir, name + ".frames")
        self.verify = verify
        self.torn = 0  # copies thrown away because the writer came into the slot meanwhile
        self.remaps = 0  # times a new file (gateway restart, new size, repair) was mapped
        self.looks = 0  # looks at the header (each a wake-up while waiting): a measure of the reader's cost
        self._map = None
        self._last_seq = None
        self._last_mono = None
        self._period = None
        self._next_recheck = 0.0
        self._renumbered = False
        if not os.path.exists(self.path):
            raise FileNotFoundError(
                "no frame file %s: is a shared-memory publisher (org.edgegate.shm.frames) configured for "
                "camera %r in %s, and has the camera delivered a frame? (gw:shm lists the files)"
                % (self.path, name, dir))
        self._map = _Mapping(self.path)

    # -- public API -----------------------------------------------------------------------------

    def next(self, timeout=1.0):
        """The newest frame newer than the last one returned, waiting up to ``timeout`` seconds for it;
        None when none came (timeout 0: look once)."""
        deadline = time.monotonic() + max(0.0, timeout)
        problem = None
        while True:
            self.looks += 1
            m = self._current(time.monotonic())
            if m is not None:
                problem = None
                try:
                    frame = self._newest(m)
                except FramesError as e:
                    problem = e
                    self._drop()
                    frame = None
                if frame is not None:
                    return frame
            elif isinstance(self._missing, FramesError):
                problem = self._missing
            now = time.monotonic()
            if now >= deadline:
                if problem is not None:
                    raise problem
                return None
            time.sleep(min(self._pause(now), deadline - now))

    def close(self):
        """Unmaps the file. The frames already returned stay valid."""
        self._drop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __del__(self):
        try:
            self._drop()
        except Exception:
            pass

    # -- mapping --------------------------------------------------------------------------------

    _missing = None

    def _current(self, now):
        """The mapping to read, re-mapped when the gateway made a new file; None while there is none."""
        m = self._map
        if m is not None:
            stale = m.state() != STATE_LIVE
            if not stale and now >= self._next_recheck:
                self._next_recheck = now + _RECHECK
                stale = m.truncated() or not m.is_at(self.path)
            if not stale:
                return m
            self._drop()
        try:
            m = _Mapping(self.path)
        except FileNotFoundError as e:
            self._missing = e
            return None
        except FramesError as e:  # damaged: the gateway makes it anew with its next frame
            self._missing = e
            return None
        if m.state() != STATE_LIVE:  # the stopping gateway's file, about to be removed
            m.close()
            self._missing = None
            return None
        self._missing = None
        self._map = m
        self.remaps += 1
        self._renumbered = True  # a restarted camera may count its frames from 1 again
        self._next_recheck = now + _RECHECK
        return m

    def _drop(self):
        m = self._map
        self._map = None
        if m is not None:
            m.close()

    def _pause(self, now):
        """How long to sleep before looking again: until just before the next frame is due, then short."""
        if self._period is not None and self._last_mono is not None:
            due = self._last_mono + self._period - _MARGIN
            if due - now > _POLL:
                return min(due - now, _RECHECK)
        return _POLL

    # -- reading --------------------------------------------------------------------------------

    def _newest(self, m):
        last = -1 if self._last_seq is None or self._renumbered else self._last_seq
        for _ in range(_RETRIES):
            _state, _pid, slot, _fmt, _w, _h, written = _LIVE.unpack_from(m.mm, _LIVE_AT)
            if written == m.seen or slot < 0:
                return None  # nothing written since the last look: the cheap, common case while waiting
            if slot >= m.slots:
                raise FramesError("%s: latest slot %d of %d: the header is damaged" % (self.path, slot, m.slots))
            got = m.read_slot(slot, last, self.verify)
            if isinstance(got, int):  # the writer came into the slot meanwhile: the newest is in another one
                self.torn += got
                continue
            m.seen = written
            if got is None:
                return None
            break
        else:
            return None  # lapped every time (a reader descheduled for long): the next look tries again
        seq, ts_ns, mono_ns, width, height, fmt, payload, torn = got
        self.torn += torn
        if self._renumbered and self._last_seq is not None and seq == self._last_seq:
            return None  # the frame returned last, in the new file
        restarted = self._last_seq is not None and seq <= self._last_seq
        self._renumbered = False
        skipped = 0 if self._last_seq is None or restarted else seq - self._last_seq - 1
        mono = mono_ns / 1e9
        if self._last_mono is not None and not restarted and mono > self._last_mono:
            d = (mono - self._last_mono) / (seq - self._last_seq)  # the camera's frame time, frames skipped or not
            self._period = d if self._period is None else 0.9 * self._period + 0.1 * d
        self._last_seq = seq
        self._last_mono = mono
        if fmt == FORMAT_BGR:
            return Frame(seq, ts_ns / 1e9, mono, width, height, payload.reshape(height, width, 3), None, skipped)
        return Frame(seq, ts_ns / 1e9, mono, width, height, None, payload.tobytes(), skipped)


class _Mapping:
    """One generation of a frame file, mapped read-only, its header checked."""

    def __init__(self, path):
        self.path = path
        fd = os.open(path, os.O_RDONLY)
        try:
            st = os.fstat(fd)
            if st.st_size < _HEADER.size:
                raise FramesError("%s is %d bytes: too short for a frame file (damaged?)" % (path, st.st_size))
            mm = mmap.mmap(fd, st.st_size, mmap.MAP_SHARED, mmap.PROT_READ)
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd
        self.mm = mm
        self.key = (st.st_dev, st.st_ino)
        try:
            (magic, version, header_size, slots, slot_header, stride, capacity, generation, _state, _pid,
             _latest, fmt, width, height, _written) = _HEADER.unpack_from(mm, 0)
            if magic != MAGIC:
                raise FramesError("%s is not an EdgeGate frame file (magic %r; damaged?)" % (path, magic))
            if version != VERSION:
                raise FramesError("%s has layout version %d; this reader knows %d (update python/edgegate)"
                                  % (path, version, VERSION))
            size = header_size + slots * stride
            if (slots < 1 or slot_header < _MIN_SLOT_HEADER or stride < slot_header + capacity
                    or header_size < _HEADER.size or header_size % 8 or stride % 8 or fmt not in (FORMAT_BGR, FORMAT_JPEG)):
                raise FramesError("%s has an inconsistent header (damaged?)" % path)
            if st.st_size < size:
                raise FramesError("%s is %d bytes, its header says %d: truncated by another process"
                                  % (path, st.st_size, size))
        except BaseException:
            mm.close()
            os.close(fd)
            raise
        self.header_size = header_size
        self.slots = slots
        self.slot_header = slot_header
        self.stride = stride
        self.capacity = capacity
        self.generation = generation
        self.size = size
        self.seen = -1  # frames written when last looked at
        self.bytes = np.frombuffer(mm, dtype=np.uint8, count=size)
        self.words = np.frombuffer(mm, dtype="<u8", count=size // 8)

    def state(self):
        return _LIVE.unpack_from(self.mm, _LIVE_AT)[0]

    def truncated(self):
        return os.fstat(self.fd).st_size < self.size

    def is_at(self, path):
        try:
            st = os.stat(path)
        except OSError:
            return False
        return (st.st_dev, st.st_ino) == self.key

    def read_slot(self, slot, last_seq, verify):
        """(seq, ts_ns, mono_ns, width, height, format, payload copy, 0) of a slot holding a frame newer
        than last_seq; None when it holds none; 1 when the writer came into the slot meanwhile (the copy
        is thrown away: look at the header again)."""
        base = self.header_size + slot * self.stride
        word = base // 8
        words = self.words
        lock = int(words[word])
        if lock & 1:  # being written: the writer lapped us; the newest frame is in another slot now
            return 1
        if lock == 0:
            return None
        (_lock, seq, ts_ns, mono_ns, width, height, fmt, length, crc, flags) = _SLOT.unpack_from(self.mm, base)
        if seq <= last_seq or fmt == 0:
            return None if int(words[word]) == lock else 1
        if (fmt not in (FORMAT_BGR, FORMAT_JPEG) or length > self.capacity
                or (fmt == FORMAT_BGR and length != width * height * 3)):
            if int(words[word]) != lock:
                return 1
            raise FramesError("%s: slot %d holds an impossible frame (%dx%d format %d, %d bytes): the file was "
                              "overwritten by another process" % (self.path, slot, width, height, fmt, length))
        if self.truncated():  # a copy from a truncated file would crash the process (SIGBUS)
            raise FramesError("%s was truncated by another process" % self.path)
        start = base + self.slot_header
        payload = self.bytes[start:start + length].copy()
        # x86-64 keeps loads in order; the re-read below is what makes the copy valid (docs/shm.md).
        if int(words[word]) != lock:
            return 1
        if verify and flags & FLAG_CRC and zlib.crc32(payload) != crc:
            raise FramesError("%s: slot %d frame %d fails its CRC-32 under a stable lock: the file was "
                              "overwritten by another process" % (self.path, slot, seq))
        return seq, ts_ns, mono_ns, width, height, fmt, payload, 0

    def close(self):
        self.bytes = None
        self.words = None
        try:
            self.mm.close()
        finally:
            os.close(self.fd)
