"""Questions the product answers, written once over the :class:`~graph.store.GraphStore`
interface so that both backends give the same answer."""
