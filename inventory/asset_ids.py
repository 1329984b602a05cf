"""What an asset id is: the one normalisation every way in (form, API, import) goes through.

Issue 17: `cs-fix-001` and a copy of `CS-FIX-001` with a zero-width space in it were both accepted as new cameras.
An asset id is now read as NFKC (full-width `ＣＳ` is `CS`), without invisible format characters (zero-width space
and joiners, word joiner, byte-order mark, soft hyphen) and without surrounding white space; it keeps the case it was
typed in, but two ids that differ only in case are the same camera (`asset_id_key`).
"""

import unicodedata

# Invisible characters a copy and paste brings along: Unicode's format class (Cf) holds them all (ZWSP, ZWNJ, ZWJ,
# WJ, BOM, soft hyphen, the bidi marks).
_INVISIBLE = "Cf"


def normalise_asset_id(text: str) -> str:
    """The asset id as stored: NFKC, invisible characters removed, white space stripped; ValueError when nothing,
    or a control character, is left."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(char for char in text if unicodedata.category(char) != _INVISIBLE).strip()
    if not text:
        raise ValueError("an asset id is needed")
    if any(unicodedata.category(char) == "Cc" for char in text):
        raise ValueError("an asset id cannot hold a control character")
    return text


def asset_id_key(text: str) -> str:
    """What makes two asset ids the same camera: the normalised id, case ignored (as SQL's lower() compares)."""
    return normalise_asset_id(text).lower()
