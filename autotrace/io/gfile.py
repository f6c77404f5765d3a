"""`tf.io.gfile`: file system helpers with TensorFlow's names, on the local file system.

>>> import os, tempfile, autotrace as tf
>>> d = tempfile.mkdtemp()
>>> with tf.io.gfile.GFile(os.path.join(d, "a.txt"), "w") as f:
...     _ = f.write("hi")
>>> tf.io.gfile.exists(os.path.join(d, "a.txt")), tf.io.gfile.listdir(d)
(True, ['a.txt'])
"""
import glob as _glob
import os
import shutil

from ..core.errors import AlreadyExistsError, NotFoundError

__all__ = ["GFile", "exists", "glob", "isdir", "listdir", "makedirs", "mkdir", "remove",
           "rename", "rmtree", "copy", "stat", "walk", "join"]


def _path(path):
    return os.fspath(path.decode() if isinstance(path, bytes) else path)


class GFile:
    """A file object (`open` with TensorFlow's name); modes as `open`'s."""

    def __init__(self, name, mode="r"):
        self.name = _path(name)
        self.mode = mode
        try:
            self._file = open(self.name, mode)
        except FileNotFoundError:
            raise NotFoundError("%s; No such file or directory" % self.name) from None

    def read(self, n=-1):
        return self._file.read(n)

    def readline(self):
        return self._file.readline()

    def readlines(self):
        return self._file.readlines()

    def write(self, data):
        return self._file.write(data)

    def seek(self, offset, whence=0):
        return self._file.seek(offset, whence)

    def tell(self):
        return self._file.tell()

    def size(self):
        return os.path.getsize(self.name)

    def flush(self):
        self._file.flush()

    def close(self):
        self._file.close()

    def __iter__(self):
        return iter(self._file)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def exists(path):
    return os.path.exists(_path(path))


def glob(pattern):
    """File names matching a pattern (or list of patterns), sorted."""
    patterns = pattern if isinstance(pattern, (list, tuple)) else [pattern]
    return sorted({m for p in patterns for m in _glob.glob(_path(p))})


def isdir(path):
    return os.path.isdir(_path(path))


def listdir(path):
    path = _path(path)
    if not os.path.isdir(path):
        raise NotFoundError("Could not find directory %s" % path)
    return sorted(os.listdir(path))


def makedirs(path):
    os.makedirs(_path(path), exist_ok=True)


def mkdir(path):
    try:
        os.mkdir(_path(path))
    except FileExistsError:
        raise AlreadyExistsError("%s already exists" % _path(path)) from None


def remove(path):
    try:
        os.remove(_path(path))
    except FileNotFoundError:
        raise NotFoundError("%s; No such file or directory" % _path(path)) from None


def rename(src, dst, overwrite=False):
    if not overwrite and os.path.exists(_path(dst)):
        raise AlreadyExistsError("%s already exists" % _path(dst))
    os.replace(_path(src), _path(dst))


def rmtree(path):
    shutil.rmtree(_path(path))


def copy(src, dst, overwrite=False):
    if not overwrite and os.path.exists(_path(dst)):
        raise AlreadyExistsError("%s already exists" % _path(dst))
    shutil.copyfile(_path(src), _path(dst))


def stat(path):
    return os.stat(_path(path))


def walk(top, topdown=True, onerror=None):
    return os.walk(_path(top), topdown=topdown, onerror=onerror)


def join(path, *paths):
    return os.path.join(_path(path), *[_path(p) for p in paths])
