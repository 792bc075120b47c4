"""Public verification: what a file proves about itself and what our register says.

``verify`` reads a signed PDF's signatures (never raising on bad input), ``verdict``
judges each certificate for the reader, ``verification`` combines that with the register
of issued files; ``views`` (``/verify/…``) and ``api`` (``/api/v1/verify``) show it.
"""
