"""Expected outcomes in scenario files (``expect:``), checked by ``asylum-sim test`` and by
pytest through the same code (:mod:`.outcomes`), as OpenFisca's YAML tests let economists
check a model without Python."""
