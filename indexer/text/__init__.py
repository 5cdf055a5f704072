"""The Vietnamese text layer: what both the indexer and the search side read text with.

In: any text. Out: normalized text (NFC, one tone placement; ``vietnamese``), valid
syllables (``syllables``), underthesea's words (``segment``, remembered across builds by
``segment_cache``), Whoosh analyzers (``analysis``), an article's term counts and syllable
codes (``terms``) and its MinHash signature (``similarity``). Imports nothing else of the
project.
"""
