"""The codec search function for the codecs built into Pyrite (`_codecs`), registered when
the codec registry is first used, as CPython's `encodings` package is."""

import _codecs
import codecs

# Normalized name (see `normalize_encoding`) -> (CodecInfo name, prefix of the _codecs
# functions, whether the decoder is stateful (takes `final`)).
_BUILTIN = {}


def _add(name, prefix, stateful, *aliases):
    for a in (name.replace("-", "_"),) + aliases:
        _BUILTIN[a] = (name, prefix, stateful)


_add("utf-8", "utf_8", True, "utf8", "u8", "utf", "utf8_ucs2", "utf8_ucs4", "cp65001")
_add("ascii", "ascii", False, "646", "ansi_x3.4_1968", "ansi_x3_4_1968", "ansi_x3.4_1986", "cp367", "csascii",
     "ibm367", "iso646_us", "iso_646.irv_1991", "iso_ir_6", "us", "us_ascii")
_add("iso8859-1", "latin_1", False, "latin_1", "latin1", "latin", "l1", "iso8859_1", "iso_8859_1",
     "iso_8859_1_1987", "8859", "cp819", "ibm819", "iso_ir_100", "csisolatin1")
_add("utf-16", "utf_16", True, "utf16", "u16")
_add("utf-16-le", "utf_16_le", True, "utf_16le", "unicodelittleunmarked")
_add("utf-16-be", "utf_16_be", True, "utf_16be", "unicodebigunmarked")
_add("utf-32", "utf_32", True, "utf32", "u32")
_add("utf-32-le", "utf_32_le", True, "utf_32le")
_add("utf-32-be", "utf_32_be", True, "utf_32be")
_add("utf-7", "utf_7", True, "utf7", "u7", "unicode_1_1_utf_7", "csunicode11utf7")
_add("unicode-escape", "unicode_escape", True)
_add("raw-unicode-escape", "raw_unicode_escape", True)


def normalize_encoding(encoding):
    """Runs of characters other than alphanumerics and '.' become one '_' (none leading)."""
    if isinstance(encoding, bytes):
        encoding = str(encoding, "ascii")
    chars = []
    punct = False
    for c in encoding:
        if c.isalnum() or c == ".":
            if punct and chars:
                chars.append("_")
            chars.append(c)
            punct = False
        else:
            punct = True
    return "".join(chars)


def _make_info(name, prefix, stateful):
    encode = getattr(_codecs, prefix + "_encode")
    raw_decode = getattr(_codecs, prefix + "_decode")

    def decode(input, errors="strict"):
        return raw_decode(input, errors, True)

    class IncrementalEncoder(codecs.IncrementalEncoder):
        def encode(self, input, final=False):
            return encode(input, self.errors)[0]

    if name in ("utf-16", "utf-32"):
        ex_decode = getattr(_codecs, prefix + "_ex_decode")
        plain = {"utf-16": (_codecs.utf_16_le_encode, _codecs.utf_16_be_encode),
                 "utf-32": (_codecs.utf_32_le_encode, _codecs.utf_32_be_encode)}[name]

        class IncrementalEncoder(codecs.IncrementalEncoder):
            def __init__(self, errors="strict"):
                codecs.IncrementalEncoder.__init__(self, errors)
                self.encoder = None

            def encode(self, input, final=False):
                if self.encoder is None:
                    result = encode(input, self.errors)[0]
                    self.encoder = plain[0]
                    return result
                return self.encoder(input, self.errors)[0]

            def reset(self):
                self.encoder = None

        class IncrementalDecoder(codecs.BufferedIncrementalDecoder):
            def __init__(self, errors="strict"):
                codecs.BufferedIncrementalDecoder.__init__(self, errors)
                self.byteorder = 0

            def _buffer_decode(self, input, errors, final):
                output, consumed, byteorder = ex_decode(input, errors, self.byteorder, final)
                if self.byteorder == 0 and byteorder != 0:
                    self.byteorder = byteorder
                return (output, consumed)

            def reset(self):
                codecs.BufferedIncrementalDecoder.reset(self)
                self.byteorder = 0
    elif stateful:
        class IncrementalDecoder(codecs.BufferedIncrementalDecoder):
            def _buffer_decode(self, input, errors, final):
                return raw_decode(input, errors, final)
    else:
        class IncrementalDecoder(codecs.IncrementalDecoder):
            def decode(self, input, final=False):
                return raw_decode(input, self.errors)[0]

    class StreamWriter(codecs.StreamWriter):
        def encode(self, input, errors="strict"):
            return encode(input, errors)

    class StreamReader(codecs.StreamReader):
        def decode(self, input, errors="strict"):
            return raw_decode(input, errors, False) if stateful else raw_decode(input, errors)

    return codecs.CodecInfo(name=name, encode=encode, decode=decode,
                            incrementalencoder=IncrementalEncoder,
                            incrementaldecoder=IncrementalDecoder,
                            streamwriter=StreamWriter, streamreader=StreamReader)


_cache = {}


def search_function(encoding):
    entry = _BUILTIN.get(normalize_encoding(encoding).lower())
    if entry is None:
        return None
    # One CodecInfo per codec, surviving the registry's cache (codecs.unregister clears it).
    info = _cache.get(entry[0])
    if info is None:
        info = _cache[entry[0]] = _make_info(*entry)
    return info


_codecs.register(search_function)
