"""Signatures on frozen documents, and the untrusted files signing and checking open.

The deployment's own certificate authority (``ca``), one incremental PAdES signature per
signatory (``signing``), the ordered signing service with its second factor
(``signatures``, ``codes``, ``trust``), and strangers' files opened in the sandbox within
bounds (``untrusted``, ``pdfbounds``, ``pfxbounds``). The pure parts import no Flask
beyond lazily translated messages, so they run the same in a request, a background task
and a benchmark.
"""
