"""The documents as PDFs: pure functions from a frozen snapshot to a rendered file.

``compose`` turns the minutes' snapshot into printed text; ``render`` (minutes),
``addendum``, ``agreement_record`` (berita acara kesepakatan) and ``letter`` (surat
undangan) lay each kind out with the shared building blocks of ``layout``. Nothing here
touches the database or Flask, so a frozen document renders the same in the worker, a
test and a benchmark.
"""
