"""The processing pipeline: one module per stage, the topology in ``topology.py``."""
