"""Who serves this pupil? School + home postcode + need → every responsible party, each with
the rule behind it, the path in the graph that proves it, and where those facts came from.

The question is resolved once (:mod:`graph.queries.question`), every role comes from its row
in the rules table (:mod:`graph.queries.roles`, the rules of ``docs/wie-helpt.md``), and the
providers from the contracts of the home gemeente and its jeugdregio
(:mod:`graph.queries.contracted`). Nothing of the question is stored or logged: it is
answered and forgotten.
"""

from __future__ import annotations

from datetime import date

from graph.queries.answer import Answer, Provider
from graph.queries.contracted import contracted_providers, providers_by_need, with_school_distances
from graph.queries.question import Question, resolve
from graph.queries.roles import BORDERS, roles_of
from graph.records import NodeKey
from graph.store import GraphStore


def who_serves(
    store: GraphStore,
    school: str,
    postcode: str,
    need: str,
    on: date | None = None,
    enrolled_regular: bool | None = None,
) -> Answer:
    """Every party responsible for a pupil, as the sources held on a day.

    Parameters
    ----------
    store : GraphStore
        The kaart (either backend, or a dated view of it).
    school : str
        The school of enrolment: BRIN with vestiging (``15UJ00``) or BRIN alone.
    postcode : str
        The home address's PC4 (``2011``) or PC6 (``2011AB``, which settles a PC4 on a border).
    need : str
        An iJw category (``45``, ``ijw-45``) or an education need (``dyslexie``).
    on : date, optional
        The day to answer for (default: the view's day, or today).
    enrolled_regular : bool, optional
        Whether the pupil is at a regular school; by default a BAO, SBO or VO school is one.
        It decides whose SWV counts: the school's, or the home address's.

    Returns
    -------
    Answer
        The roles of :data:`graph.queries.roles.ROLES` in that order (an unknown one with
        ``id`` None, still with its rule), the contracted providers (shortest wait first,
        then nearest) and the warnings on grensverkeer and missing data.

    Raises
    ------
    QuestionError
        For a malformed code (422) or a school, postcode or need the kaart does not know on
        that day (404).

    Examples
    --------
    >>> from graph.queries.example import tiny_kaart
    >>> a = who_serves(tiny_kaart(), "99ZZ00", "9992", "45", date(2025, 6, 1))
    >>> [(r.role, r.name) for r in a.roles][:4]  # doctest: +NORMALIZE_WHITESPACE
    [('zorgplicht', 'Stichting Voorbeeldscholen (99999)'),
     ('swv', 'Samenwerkingsverband Voorbeeld (PO 99-01)'),
     ('gemeente_jeugdhulp', 'Buurdorp (GM9992)'), ('toegang', 'Buurdorp (GM9992)')]
    >>> who_serves(tiny_kaart(), "99ZZ00", "9991", "45", date(2025, 6, 1)).roles[3].niveau
    'gemeente'
    >>> [w[:60] for w in a.warnings if w.startswith("Grensverkeer")]
    ['Grensverkeer: de school ligt in Voorbeeldstad (GM9991), het ']
    """
    q = resolve(store, school, postcode, need, on, enrolled_regular)
    found = roles_of(q)
    warnings = [
        *q.warnings,
        *(w for f in found for w in f.warnings),
        *(w for check in BORDERS for w in check(q)),
    ]
    providers = _providers(q)
    need_naam = q.need.props.get("naam")
    return Answer(
        q.school.id,
        q.home,
        q.need.id,
        q.day.isoformat(),
        q.regular,
        [f.role for f in found],
        providers,
        warnings,
        f"{q.school.props.get('naam') or 'School'} ({q.school.id})",
        str(need_naam) if need_naam else None,
    )


def _providers(q: Question) -> list[Provider]:
    """The contracted providers for the question's need: from what its home keeps for every
    need (then the school's distances added), or worked out for this question alone (a PC6)."""
    if "home" not in q.sides:
        return contracted_providers(q.g.near, q.need.id, q.day, _buyers(q), q.home_pc4, q.school_pc4_node)
    by_need = q.kept("home", "providers", _every_need)
    return with_school_distances(q.g.near, by_need.get(q.need.id, []), q.school_pc4_node)


def _every_need(home: Question) -> dict[str, list[Provider]]:
    return providers_by_need(home.g.near, home.day, _buyers(home), home.home_pc4)


def _buyers(q: Question) -> list[NodeKey]:
    """Who buys care for the home: its gemeente, then its jeugdregio's."""
    return [*q.home_gemeenten, *(r.key for r in q.jeugdregios)]
