"""The query: the text a user typed in, a ``ParsedQuery`` out.

``language`` parses the query language (words, "phrases", -exclusion, OR, parentheses,
document numbers) and reads a malformed query the most plausible way. The repairs:
``keyboard`` reads Telex and VNI typed with the Vietnamese keyboard off, ``spelling`` restores
diacritics and fixes typos from a ``Vocabulary`` of the archive (which the engine loads),
``abbreviations`` makes UBND and Ủy ban nhân dân find each other, and ``words`` groups loose
syllables into the words they make, which must match as words. No index, no Flask: imports
only ``indexer.text`` and ``indexer.metadata``.
"""
