"""Commands that write or check a clerk's data: new papers, Word import, deadlines.

The rest of the engine reads data/; these modules help a clerk write it. They never
overwrite a file unless told to (`force=True`), and every file they write loads cleanly,
with its placeholders marked "TO DO:" so `papers check` can point at what is left to do.
"""
