"""CRC-32C (Castagnoli), as TFRecord files use it, and TF's masking of stored CRCs.

No dependency. Short inputs are done eight bytes per step with tables ("slicing by 8");
long ones are split into many lanes whose CRCs NumPy computes side by side, then combined:
a CRC register without its final inversion is linear over GF(2), so the CRC of `a + b` is
the CRC of `a` shifted past `len(b)` zero bytes (a 32x32 bit-matrix) XOR the CRC of `b`.

>>> hex(crc32c(b"123456789"))
'0xe3069283'
"""
import struct

import numpy as np

__all__ = ["crc32c", "masked_crc32c"]

_POLY = 0x82F63B78  # the Castagnoli polynomial, bit-reversed
_MASK_DELTA = 0xA282EAD8
_LANE_THRESHOLD = 4096  # bytes: below this the scalar loop is faster


def _tables():
    first = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ _POLY if crc & 1 else crc >> 1
        first.append(crc)
    tables = [first]
    for _ in range(7):
        prev = tables[-1]
        tables.append([(prev[i] >> 8) ^ first[prev[i] & 0xFF] for i in range(256)])
    return tables


_T = _tables()
_NP_T = [np.array(t, dtype=np.uint32) for t in _T]
_EIGHT = struct.Struct("<II")


def _update(crc, view):
    """The raw register after `view` (no inversions), eight bytes per step."""
    t0, t1, t2, t3, t4, t5, t6, t7 = _T
    n = len(view)
    end8 = n - n % 8
    for lo, hi in _EIGHT.iter_unpack(view[:end8]):
        lo ^= crc
        crc = (t7[lo & 0xFF] ^ t6[(lo >> 8) & 0xFF] ^ t5[(lo >> 16) & 0xFF] ^ t4[lo >> 24] ^
               t3[hi & 0xFF] ^ t2[(hi >> 8) & 0xFF] ^ t1[(hi >> 16) & 0xFF] ^ t0[hi >> 24])
    for byte in view[end8:]:
        crc = (crc >> 8) ^ t0[(crc ^ byte) & 0xFF]
    return crc


# -- the zero-byte shift as a bit-matrix (32 columns) -----------------------------------------

def _apply(columns, value):
    out = 0
    for bit in range(32):
        if value >> bit & 1:
            out ^= columns[bit]
    return out


def _compose(a, b):
    """The matrix of applying `b`, then `a`."""
    return [_apply(a, col) for col in b]


_ONE_ZERO_BYTE = [(1 << bit >> 8) ^ _T[0][(1 << bit) & 0xFF] for bit in range(32)]
_SHIFTS = {}


def _shift_matrix(n_bytes):
    """Columns of the map r -> register after `n_bytes` zero bytes (by squaring)."""
    found = _SHIFTS.get(n_bytes)
    if found is not None:
        return found
    result, power, n = None, _ONE_ZERO_BYTE, n_bytes
    while n:
        if n & 1:
            result = power if result is None else _compose(power, result)
        power = _compose(power, power)
        n >>= 1
    result = result or [1 << bit for bit in range(32)]
    if len(_SHIFTS) < 64:
        _SHIFTS[n_bytes] = result
    return result


def _apply_lanes(columns, lanes):
    out = np.zeros_like(lanes)
    for bit in range(32):
        out ^= ((lanes >> np.uint32(bit)) & np.uint32(1)) * np.uint32(columns[bit])
    return out


def _lanes_crc(view):
    """(raw register of the longest prefix done in lanes, bytes done)."""
    n = len(view)
    lanes = 1 << max(0, min(12, (n // 64).bit_length() - 1))
    lane_bytes = (n // lanes) // 8 * 8
    words = np.frombuffer(view[:lanes * lane_bytes], "<u4").reshape(lanes, lane_bytes // 4)
    t0, t1, t2, t3, t4, t5, t6, t7 = _NP_T
    crc = np.zeros(lanes, np.uint32)
    mask = np.uint32(0xFF)
    for step in range(0, lane_bytes // 4, 2):
        lo = words[:, step] ^ crc
        hi = words[:, step + 1]
        crc = (t7[lo & mask] ^ t6[(lo >> np.uint32(8)) & mask] ^
               t5[(lo >> np.uint32(16)) & mask] ^ t4[lo >> np.uint32(24)] ^
               t3[hi & mask] ^ t2[(hi >> np.uint32(8)) & mask] ^
               t1[(hi >> np.uint32(16)) & mask] ^ t0[hi >> np.uint32(24)])
    span = lane_bytes
    while len(crc) > 1:  # pairwise: shift the left lane past the right one, then XOR
        crc = _apply_lanes(_shift_matrix(span), crc[0::2]) ^ crc[1::2]
        span *= 2
    return int(crc[0]), lanes * lane_bytes


def crc32c(data, crc=0):
    """The CRC-32C of `data` (bytes), continuing from `crc`."""
    view = memoryview(data).cast("B")
    register = crc ^ 0xFFFFFFFF
    if len(view) < _LANE_THRESHOLD:
        return _update(register, view) ^ 0xFFFFFFFF
    lanes, done = _lanes_crc(view)
    register = _apply(_shift_matrix(done), register) ^ lanes
    return _update(register, view[done:]) ^ 0xFFFFFFFF


def masked_crc32c(data):
    """TF's stored form of a CRC (rotated and offset, so a CRC of CRCs stays distinct)."""
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + _MASK_DELTA) & 0xFFFFFFFF
