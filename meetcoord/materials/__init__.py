"""Materials (bahan paparan): the files speakers and the secretariat attach to agenda items.

``models`` (the rows), ``storage`` (the files on disk), ``services`` (upload, delete, the
speakers' own upload links), ``queries`` (reading them, for the minutes and the report),
``views``/``api`` (the secretariat's pages and the JSON twin). The participants' and the
speakers' pages sit in the portal, with every other page a link opens.
"""
