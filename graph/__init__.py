"""The graph core: domain model, identifiers, the store interface and its two backends.

Data flows one way: importers build :mod:`graph.model` entities, turn them into a
:class:`~graph.records.Batch` and apply it to a :class:`~graph.store.GraphStore`;
queries, the API and the pictures only read.
"""
