"""pdfium's C functions as the pdfium engine calls them (:mod:`.pdf_pdfium`, :mod:`.pdf_chars`).

Private ctypes prototypes with plain pointer types: pypdfium2's bindings wrap
every handle in a ctypes structure pointer, which costs more than the call
itself in a per-character loop.  Handles are passed as integers
(:func:`address`).  Also the matrix helpers both modules use.
"""

from __future__ import annotations

import ctypes
from ctypes import POINTER, c_char_p, c_double, c_float, c_int, c_uint, c_ulong, c_void_p
from typing import Any

import pypdfium2.raw as pdfium_c

__all__ = ["IDENTITY", "Lin", "Matrix", "address", "multiply"]  # and the prototypes below


def _fn(name: str, restype: Any, *argtypes: Any) -> Any:
    where = ctypes.cast(getattr(pdfium_c, name), c_void_p).value
    assert where is not None
    return ctypes.CFUNCTYPE(restype, *argtypes)(where)


_D = POINTER(c_double)
_F = POINTER(c_float)
_I = POINTER(c_int)
_U = POINTER(c_uint)
_MATRIX = POINTER(pdfium_c.FS_MATRIX)
count_chars = _fn("FPDFText_CountChars", c_int, c_void_p)
get_unicode = _fn("FPDFText_GetUnicode", c_uint, c_void_p, c_int)
get_text_object = _fn("FPDFText_GetTextObject", c_void_p, c_void_p, c_int)
get_char_origin = _fn("FPDFText_GetCharOrigin", c_int, c_void_p, c_int, _D, _D)
get_char_matrix = _fn("FPDFText_GetMatrix", c_int, c_void_p, c_int, _MATRIX)
get_char_box = _fn("FPDFText_GetCharBox", c_int, c_void_p, c_int, _D, _D, _D, _D)
get_loose_box = _fn("FPDFText_GetLooseCharBox", c_int, c_void_p, c_int, POINTER(pdfium_c.FS_RECTF))
text_font = _fn("FPDFTextObj_GetFont", c_void_p, c_void_p)
text_font_size = _fn("FPDFTextObj_GetFontSize", c_int, c_void_p, _F)
font_name = _fn("FPDFFont_GetBaseFontName", c_ulong, c_void_p, c_char_p, c_ulong)
font_embedded = _fn("FPDFFont_GetIsEmbedded", c_int, c_void_p)
font_descent = _fn("FPDFFont_GetDescent", c_int, c_void_p, c_float, _F)
glyph_width = _fn("FPDFFont_GetGlyphWidth", c_int, c_void_p, c_uint, c_float, _F)
count_objects = _fn("FPDFPage_CountObjects", c_int, c_void_p)
get_object = _fn("FPDFPage_GetObject", c_void_p, c_void_p, c_int)
form_count = _fn("FPDFFormObj_CountObjects", c_int, c_void_p)
form_object = _fn("FPDFFormObj_GetObject", c_void_p, c_void_p, c_ulong)
object_type = _fn("FPDFPageObj_GetType", c_int, c_void_p)
object_bounds = _fn("FPDFPageObj_GetBounds", c_int, c_void_p, _F, _F, _F, _F)
object_matrix = _fn("FPDFPageObj_GetMatrix", c_int, c_void_p, _MATRIX)
stroke_color = _fn("FPDFPageObj_GetStrokeColor", c_int, c_void_p, _U, _U, _U, _U)
fill_color = _fn("FPDFPageObj_GetFillColor", c_int, c_void_p, _U, _U, _U, _U)
draw_mode = _fn("FPDFPath_GetDrawMode", c_int, c_void_p, _I, _I)
count_segments = _fn("FPDFPath_CountSegments", c_int, c_void_p)
get_segment = _fn("FPDFPath_GetPathSegment", c_void_p, c_void_p, c_int)
segment_point = _fn("FPDFPathSegment_GetPoint", c_int, c_void_p, _F, _F)
segment_type = _fn("FPDFPathSegment_GetType", c_int, c_void_p)
segment_close = _fn("FPDFPathSegment_GetClose", c_int, c_void_p)

PATH = pdfium_c.FPDF_PAGEOBJ_PATH
FORM = pdfium_c.FPDF_PAGEOBJ_FORM
TEXT = pdfium_c.FPDF_PAGEOBJ_TEXT
MOVETO = pdfium_c.FPDF_SEGMENT_MOVETO
BEZIERTO = pdfium_c.FPDF_SEGMENT_BEZIERTO
HYPHEN = 0x02  # pdfium's code for a hyphen that ends a line

Matrix = tuple[float, float, float, float, float, float]
Lin = tuple[float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def address(handle: Any) -> int:
    """A pypdfium2 handle (a ctypes pointer) as an integer."""
    return int(ctypes.cast(handle, c_void_p).value or 0)


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (row-vector convention, as in PDF)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )
