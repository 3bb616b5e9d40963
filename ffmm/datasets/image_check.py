"""Cheap checks that an image file is complete, without decoding it.

OpenCV decodes a truncated JPEG into an image whose missing part is noise
and only prints a warning, so a damaged file would be trained on or
evaluated silently. These checks read the file's first and last bytes and
its header (PIL parses the header only): cheap enough to run on every image
when a dataset is built, long before a run reaches the bad file.
"""
import os
import os.path as osp

TAIL_BYTES = 1024  # some cameras write padding after the end marker

_MAGIC = (
    (b'\xff\xd8\xff', 'jpeg'),
    (b'\x89PNG\r\n\x1a\n', 'png'),
    (b'BM', 'bmp'),
    (b'GIF87a', 'gif'),
    (b'GIF89a', 'gif'),
    (b'II*\x00', 'tiff'),
    (b'MM\x00*', 'tiff'),
)


def _kind(head):
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b'RIFF' and head[8:12] == b'WEBP':
        return 'webp'
    return None


def inspect_image(path):
    """``(problem, (width, height))`` of an image file.

    ``problem`` is None for a file that looks complete, else a short reason
    (``'does not exist'``, ``'is a folder'``, ``'is not an image'``,
    ``'is truncated ...'``); the size is None when it cannot be read.
    """
    if osp.isdir(path):
        return 'is a folder, not an image', None
    if not osp.isfile(path):
        return 'does not exist', None
    try:
        size = os.path.getsize(path)
        with open(path, 'rb') as f:
            head = f.read(16)
            f.seek(max(0, size - TAIL_BYTES))
            tail = f.read()
    except OSError as e:
        return f'cannot be read ({e.strerror})', None
    if size == 0:
        return 'is empty', None
    kind = _kind(head)
    if kind is None:
        return 'is not an image (unknown file format)', None
    if kind == 'jpeg' and b'\xff\xd9' not in tail:
        return 'is a truncated JPEG (no end-of-image marker)', None
    if kind == 'png' and b'IEND' not in tail:
        return 'is a truncated PNG (no IEND chunk)', None
    try:
        from PIL import Image
        with Image.open(path) as im:
            return None, im.size
    except Exception as e:  # PIL raises many types for broken headers
        return f'has an unreadable {kind} header ({e})', None
