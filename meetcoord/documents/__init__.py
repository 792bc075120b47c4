"""Minutes (notulen), agreement records and their signatures.

So far this package holds the signing core only: the deployment's own certificate
authority (:mod:`.ca`), one incremental PAdES signature per signatory (:mod:`.signing`)
and the verification report (:mod:`.verify`). None of them imports Flask beyond lazy
translated error messages, so they run the same in a request, a background task and a
benchmark.
"""
