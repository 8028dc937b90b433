"""``oas-create-check probe``: check a running API against what its spec promises about
creation (docs/contract.md#probe, docs/probe.md).

``build`` makes the requests from the spec, ``client`` is the one guarded way to the server,
``checks`` runs the fixed sequence of a create, ``runner`` turns failed checks into findings at
the spec's lines, ``output`` prints them through the lint's reporters. Needs the ``probe``
extra (httpx, jsonschema-rs); nothing here is imported by the lint.
"""
