"""Formal documents of a meeting: minutes (notulen), addenda, agreement records, letters.

The top level holds the services and the doors: ``models``, the step services
(``workflow`` for minutes and addenda, ``agreements``, ``invitation_letters``, shared
``rules``, ``steps``, ``review``, ``room``), the snapshot they freeze (``sources``,
``snapshot``), the background rendering (``jobs``), the mails (``mailing``) and the pages
and API (``views``, ``api``, ``schemas``; the personal link's pages are ``portal``'s).
Three subpackages hold what needs no request and no database session of its own:

- :mod:`.pdf`: each document kind as a pure function from its snapshot to a PDF;
- :mod:`.signing`: the deployment's CA, one PAdES signature per signatory, the second
  factor, and opening strangers' files (PDF, PKCS#12) in the sandbox;
- :mod:`.verify`: what a signed file proves about itself and the public page and API
  that say it.
"""
